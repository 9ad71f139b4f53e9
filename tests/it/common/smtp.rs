//! A real SMTP server for tests: aiosmtpd (Debian's python3-aiosmtpd, which
//! `make test` installs) on a loopback port, storing what it accepts in a
//! Maildir that the test reads.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct SmtpServer {
    pub port: u16,
    maildir: PathBuf,
    child: Option<Child>,
    tls: Option<TestCertificates>,
}

/// How a test server speaks TLS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServerTls {
    /// Plain, then STARTTLS, which it requires before accepting mail.
    StartTls,
    /// TLS from the first byte (SMTPS).
    Implicit,
}

/// A throwaway CA and a certificate it signed for localhost and 127.0.0.1,
/// made with openssl for one server.
pub struct TestCertificates {
    dir: PathBuf,
}

impl TestCertificates {
    fn make() -> Self {
        let dir = std::env::temp_dir().join(format!("hms-tls-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("leaf.ext"),
            "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n\
             keyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n",
        )
        .unwrap();
        let ec = [
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
        ];
        let steps: [Vec<&str>; 3] = [
            [
                &["req", "-x509", "-days", "1", "-subj", "/CN=HMS test CA"][..],
                &ec[..],
                &[
                    "-addext",
                    "basicConstraints=critical,CA:TRUE",
                    "-addext",
                    "keyUsage=critical,keyCertSign",
                    "-keyout",
                    "ca.key",
                    "-out",
                    "ca.pem",
                ],
            ]
            .concat(),
            [
                &["req", "-subj", "/CN=localhost"][..],
                &ec[..],
                &["-keyout", "leaf.key", "-out", "leaf.csr"],
            ]
            .concat(),
            vec![
                "x509",
                "-req",
                "-in",
                "leaf.csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-days",
                "1",
                "-extfile",
                "leaf.ext",
                "-out",
                "leaf.pem",
            ],
        ];
        for args in steps {
            let out = Command::new("openssl")
                .args(&args)
                .current_dir(&dir)
                .output()
                .expect("openssl makes the test certificates");
            assert!(
                out.status.success(),
                "openssl {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Self { dir }
    }

    /// The CA's certificate, as HMS_SMTP_CA_FILE would hold it.
    pub fn ca_pem(&self) -> Vec<u8> {
        std::fs::read(self.dir.join("ca.pem")).unwrap()
    }
}

impl Drop for TestCertificates {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A free loopback port (nothing listens on it once this returns).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl SmtpServer {
    pub fn start() -> Self {
        Self::start_on(free_port(), None)
    }

    /// On `port`, refusing messages larger than `max_size` bytes (552) when given.
    pub fn start_on(port: u16, max_size: Option<u32>) -> Self {
        let maildir = std::env::temp_dir().join(format!("hms-smtp-{}", uuid::Uuid::now_v7()));
        let mut server = SmtpServer {
            port,
            maildir,
            child: None,
            tls: None,
        };
        server.spawn(max_size, None);
        server
    }

    /// Speaking TLS as `mode` says, with a certificate from a throwaway CA.
    pub fn start_tls(mode: ServerTls) -> Self {
        let maildir = std::env::temp_dir().join(format!("hms-smtp-{}", uuid::Uuid::now_v7()));
        let mut server = SmtpServer {
            port: free_port(),
            maildir,
            child: None,
            tls: Some(TestCertificates::make()),
        };
        server.spawn(None, Some(mode));
        server
    }

    /// The throwaway CA of a TLS server.
    pub fn certificates(&self) -> &TestCertificates {
        self.tls.as_ref().expect("a server started with start_tls")
    }

    fn spawn(&mut self, max_size: Option<u32>, tls: Option<ServerTls>) {
        let python =
            std::env::var("HMS_TEST_SMTP_PYTHON").unwrap_or_else(|_| "/usr/bin/python3".into());
        let mut cmd = Command::new(&python);
        cmd.args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{}", self.port))
            .args(["-c", "aiosmtpd.handlers.Mailbox"]);
        if let Some(size) = max_size {
            cmd.args(["-s", &size.to_string()]);
        }
        if let (Some(mode), Some(certs)) = (tls, &self.tls) {
            let (cert, key) = match mode {
                ServerTls::StartTls => ("--tlscert", "--tlskey"),
                ServerTls::Implicit => ("--smtpscert", "--smtpskey"),
            };
            cmd.arg(cert)
                .arg(certs.dir.join("leaf.pem"))
                .arg(key)
                .arg(certs.dir.join("leaf.key"));
        }
        let child = cmd
            .arg(&self.maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start aiosmtpd with {python} ({e}): run `make test`, which installs python3-aiosmtpd")
            });
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "aiosmtpd did not start on port {}",
                self.port
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Every message received so far, as raw text, oldest first.
    pub fn messages(&self) -> Vec<String> {
        let mut files: Vec<(std::time::SystemTime, PathBuf)> = ["new", "cur"]
            .iter()
            .flat_map(|d| read_dir(&self.maildir.join(d)))
            .collect();
        files.sort();
        files
            .into_iter()
            .map(|(_, p)| std::fs::read_to_string(p).unwrap())
            .collect()
    }

    /// The Message-ID header of every message received.
    pub fn message_ids(&self) -> Vec<String> {
        self.messages()
            .iter()
            .filter_map(|m| header(m, "Message-ID"))
            .collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.maildir);
    }
}

fn read_dir(dir: &Path) -> Vec<(std::time::SystemTime, PathBuf)> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| (e.metadata().unwrap().modified().unwrap(), e.path()))
                .collect()
        })
        .unwrap_or_default()
}

/// A header's value (unfolded), from a raw message.
pub fn header(message: &str, name: &str) -> Option<String> {
    let prefix = format!("{}:", name.to_ascii_lowercase());
    let mut lines = message.lines().take_while(|l| !l.is_empty()).peekable();
    while let Some(line) = lines.next() {
        if line.to_ascii_lowercase().starts_with(&prefix) {
            let mut value = line[prefix.len()..].trim().to_string();
            while let Some(next) = lines.peek().filter(|l| l.starts_with([' ', '\t'])) {
                value.push(' ');
                value.push_str(next.trim());
                lines.next();
            }
            return Some(value);
        }
    }
    None
}

/// A raw message with quoted-printable undone (soft line breaks and `=XX`),
/// as a mail client shows it; good enough to find links in.
pub fn readable(message: &str) -> String {
    let joined = message.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'=', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The mail sender as the server runs it, delivering to the SMTP server on
/// `port` (plain SMTP on loopback).
pub async fn sender_to(pool: &sqlx::PgPool, port: u16) -> hms::server::mail::sender::Sender {
    use hms::server::mail::config::{SmtpConfig, SmtpSecurity};
    sender_with(
        pool,
        SmtpConfig {
            host: "127.0.0.1".into(),
            port,
            security: SmtpSecurity::None,
            credentials: None,
            timeout: Duration::from_secs(5),
            extra_roots_pem: None,
        },
    )
    .await
}

/// The mail sender as the server runs it, with this SMTP configuration.
pub async fn sender_with(
    pool: &sqlx::PgPool,
    smtp: hms::server::mail::config::SmtpConfig,
) -> hms::server::mail::sender::Sender {
    use hms::server::mail::config::TransportConfig;
    let transport = hms::server::mail::transport::Transport::new(&TransportConfig::Smtp(smtp))
        .await
        .unwrap();
    hms::server::mail::sender::Sender {
        pool: pool.clone(),
        transport,
        from: "Riverside General <no-reply@hms.example>".parse().unwrap(),
        lease: Duration::from_secs(60),
        scope: super::scope_token(),
    }
}
