//! Mail settings: where messages go (an SMTP server, or `.eml` files for
//! development) and who they come from.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::server::config::{ConfigError, Secret, bounded, parse, secs};

#[derive(Clone, Debug)]
pub struct MailConfig {
    /// The From header, e.g. `HMS <no-reply@hospital.example>`.
    pub from: lettre::message::Mailbox,
    pub transport: TransportConfig,
    /// How often the sender looks for due messages when not woken sooner.
    pub poll: Duration,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransportConfig {
    /// Each message written as an `.eml` file in this folder.
    File {
        dir: PathBuf,
    },
    Smtp(SmtpConfig),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub credentials: Option<(String, Secret)>,
    /// How long one delivery may take before it counts as failed.
    pub timeout: Duration,
    /// Certificates (PEM) trusted for the server besides the public roots:
    /// a hospital's own CA (HMS_SMTP_CA_FILE).
    pub extra_roots_pem: Option<Vec<u8>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS, which is required (port 587).
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on the same host or a test server.
    None,
}

impl MailConfig {
    pub fn from_lookup(
        get: &impl Fn(&str) -> Option<String>,
        data_dir: &Path,
    ) -> Result<Self, ConfigError> {
        let from = parse(get, "HMS_MAIL_FROM", "HMS <no-reply@localhost>", |v| {
            v.parse::<lettre::message::Mailbox>().map_err(|_| {
                format!("{v:?} is not an address such as HMS <no-reply@hospital.example>")
            })
        })?;
        let transport = parse(get, "HMS_MAIL_TRANSPORT", "file", |v| match v {
            "file" | "smtp" => Ok(v.to_string()),
            _ => Err(format!("{v:?} is not one of: file, smtp")),
        })?;
        let transport = if transport == "file" {
            TransportConfig::File {
                dir: get("HMS_MAIL_DIR")
                    .map(PathBuf::from)
                    .unwrap_or_else(|| data_dir.join("mail")),
            }
        } else {
            TransportConfig::Smtp(smtp(get)?)
        };
        Ok(MailConfig {
            from,
            transport,
            poll: secs(get, "HMS_MAIL_POLL_SECS", "5", 1, 3600)?,
        })
    }
}

fn smtp(get: &impl Fn(&str) -> Option<String>) -> Result<SmtpConfig, ConfigError> {
    let host = get("HMS_SMTP_HOST").ok_or(ConfigError {
        var: "HMS_SMTP_HOST",
        reason: "set it when HMS_MAIL_TRANSPORT is smtp".into(),
    })?;
    if host.contains(['/', ' ', ':']) {
        return Err(ConfigError {
            var: "HMS_SMTP_HOST",
            reason: format!("{host:?} is not a host name"),
        });
    }
    let security = parse(get, "HMS_SMTP_SECURITY", "starttls", |v| match v {
        "starttls" => Ok(SmtpSecurity::StartTls),
        "tls" => Ok(SmtpSecurity::Tls),
        "none" => Ok(SmtpSecurity::None),
        _ => Err(format!("{v:?} is not one of: starttls, tls, none")),
    })?;
    let default_port = match security {
        SmtpSecurity::StartTls => "587",
        SmtpSecurity::Tls => "465",
        SmtpSecurity::None => "25",
    };
    let credentials = match (get("HMS_SMTP_USERNAME"), get("HMS_SMTP_PASSWORD")) {
        (None, None) => None,
        (Some(user), Some(password)) => Some((user, Secret::new(password))),
        (Some(_), None) => {
            return Err(ConfigError {
                var: "HMS_SMTP_PASSWORD",
                reason: "set it with HMS_SMTP_USERNAME".into(),
            });
        }
        (None, Some(_)) => {
            return Err(ConfigError {
                var: "HMS_SMTP_USERNAME",
                reason: "set it with HMS_SMTP_PASSWORD".into(),
            });
        }
    };
    let extra_roots_pem = get("HMS_SMTP_CA_FILE")
        .map(|path| {
            std::fs::read(&path).map_err(|e| ConfigError {
                var: "HMS_SMTP_CA_FILE",
                reason: format!("cannot read {path}: {e}"),
            })
        })
        .transpose()?;
    Ok(SmtpConfig {
        extra_roots_pem,
        host,
        port: parse(get, "HMS_SMTP_PORT", default_port, |v| {
            bounded::<u16>(v, 1, u16::MAX)
        })?,
        security,
        credentials,
        timeout: secs(get, "HMS_SMTP_TIMEOUT_SECS", "30", 1, 300)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn mail(pairs: &[(&str, &str)]) -> Result<MailConfig, ConfigError> {
        let env: HashMap<&str, &str> = pairs.iter().copied().collect();
        MailConfig::from_lookup(
            &|k: &str| env.get(k).map(|v| v.to_string()),
            Path::new("data"),
        )
    }

    #[test]
    fn by_default_mail_is_written_to_files_under_the_data_folder() {
        let c = mail(&[]).unwrap();
        assert_eq!(
            c.transport,
            TransportConfig::File {
                dir: PathBuf::from("data/mail")
            }
        );
        assert_eq!(c.from.email.to_string(), "no-reply@localhost");
    }

    #[test]
    fn smtp_takes_its_port_from_the_security_and_keeps_the_password_secret() {
        let c = mail(&[
            ("HMS_MAIL_TRANSPORT", "smtp"),
            ("HMS_SMTP_HOST", "mail.hospital.example"),
            ("HMS_SMTP_SECURITY", "tls"),
            ("HMS_SMTP_USERNAME", "hms"),
            ("HMS_SMTP_PASSWORD", "hunter2"),
        ])
        .unwrap();
        let TransportConfig::Smtp(smtp) = &c.transport else {
            panic!("{c:?}")
        };
        assert_eq!((smtp.port, smtp.security), (465, SmtpSecurity::Tls));
        assert!(!format!("{c:?}").contains("hunter2"));
    }

    #[test]
    fn each_bad_mail_setting_names_its_variable() {
        let cases: [(&[(&str, &str)], &str); 6] = [
            (&[("HMS_MAIL_FROM", "not an address")], "HMS_MAIL_FROM"),
            (&[("HMS_MAIL_TRANSPORT", "pigeon")], "HMS_MAIL_TRANSPORT"),
            (&[("HMS_MAIL_TRANSPORT", "smtp")], "HMS_SMTP_HOST"),
            (
                &[("HMS_MAIL_TRANSPORT", "smtp"), ("HMS_SMTP_HOST", "a b")],
                "HMS_SMTP_HOST",
            ),
            (
                &[
                    ("HMS_MAIL_TRANSPORT", "smtp"),
                    ("HMS_SMTP_HOST", "mx"),
                    ("HMS_SMTP_USERNAME", "u"),
                ],
                "HMS_SMTP_PASSWORD",
            ),
            (
                &[
                    ("HMS_MAIL_TRANSPORT", "smtp"),
                    ("HMS_SMTP_HOST", "mx"),
                    ("HMS_SMTP_SECURITY", "ssl3"),
                ],
                "HMS_SMTP_SECURITY",
            ),
        ];
        for (pairs, var) in cases {
            assert_eq!(mail(pairs).unwrap_err().var, var, "{pairs:?}");
        }
    }
}
