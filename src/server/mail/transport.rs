//! Where delivered messages go: an SMTP server, or `.eml` files in a folder
//! (the default for `make run`, so nobody is mailed by accident).

use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::config::{SmtpConfig, SmtpSecurity, TransportConfig};

#[derive(Clone)]
pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    File(AsyncFileTransport<Tokio1Executor>),
}

/// Why a delivery did not happen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeliveryError {
    /// The server refused the message for good (a 5xx answer): retrying the
    /// same message cannot help.
    pub permanent: bool,
    /// For the outbox's "last error"; never contains credentials.
    pub reason: String,
}

impl Transport {
    /// Builds the transport; the file transport's folder is created here.
    pub async fn new(config: &TransportConfig) -> Result<Self, String> {
        match config {
            TransportConfig::File { dir } => {
                tokio::fs::create_dir_all(dir)
                    .await
                    .map_err(|e| format!("cannot create the mail folder {}: {e}", dir.display()))?;
                Ok(Transport::File(AsyncFileTransport::new(dir)))
            }
            TransportConfig::Smtp(smtp) => smtp_transport(smtp).map(Transport::Smtp),
        }
    }

    pub async fn send(&self, message: Message) -> Result<(), DeliveryError> {
        match self {
            Transport::Smtp(t) => t.send(message).await.map(drop).map_err(|e| DeliveryError {
                permanent: e.is_permanent(),
                reason: e.to_string(),
            }),
            Transport::File(t) => t.send(message).await.map(drop).map_err(|e| DeliveryError {
                permanent: false,
                reason: e.to_string(),
            }),
        }
    }

    /// For the start-up log line.
    pub fn describe(config: &TransportConfig) -> String {
        match config {
            TransportConfig::File { dir } => format!("written as .eml files to {}", dir.display()),
            TransportConfig::Smtp(s) => format!("sent by SMTP to {}:{}", s.host, s.port),
        }
    }
}

/// TLS for `host` trusting the public roots and every certificate in `pem`.
fn with_extra_roots(host: &str, pem: &[u8]) -> Result<TlsParameters, String> {
    let mut params = TlsParameters::builder(host.to_string());
    let text = String::from_utf8_lossy(pem);
    let mut found = 0;
    for block in text.split_inclusive("-----END CERTIFICATE-----") {
        let Some(start) = block.find("-----BEGIN CERTIFICATE-----") else {
            continue;
        };
        let cert = Certificate::from_pem(&block.as_bytes()[start..]).map_err(|e| {
            format!("HMS_SMTP_CA_FILE holds a certificate that cannot be read: {e}")
        })?;
        params = params.add_root_certificate(cert);
        found += 1;
    }
    if found == 0 {
        return Err("HMS_SMTP_CA_FILE holds no PEM certificate".into());
    }
    params
        .build_rustls()
        .map_err(|e| format!("cannot set up TLS for SMTP: {e}"))
}

fn smtp_transport(c: &SmtpConfig) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
    let builder = match c.security {
        SmtpSecurity::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&c.host),
        SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&c.host),
        SmtpSecurity::None => Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(
            &c.host,
        )),
    }
    .map_err(|e| format!("cannot use SMTP host {}: {e}", c.host))?;
    let builder = builder.port(c.port).timeout(Some(c.timeout));
    let builder = match (&c.extra_roots_pem, c.security) {
        (Some(pem), SmtpSecurity::StartTls | SmtpSecurity::Tls) => {
            let tls = with_extra_roots(&c.host, pem)?;
            builder.tls(if c.security == SmtpSecurity::Tls {
                Tls::Wrapper(tls)
            } else {
                Tls::Required(tls)
            })
        }
        _ => builder,
    };
    let builder = match &c.credentials {
        Some((user, password)) => builder.credentials(Credentials::new(
            user.clone(),
            password.expose().to_string(),
        )),
        None => builder,
    };
    Ok(builder.build())
}
