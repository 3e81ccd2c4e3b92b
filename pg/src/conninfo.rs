//! Where the server is and who we are, the way `psql` finds out: the URL
//! (or `key=value` string) first, then libpq's environment variables
//! (`PGHOST`, `PGPORT`, `PGDATABASE`, `PGUSER`, `PGPASSWORD`, `PGAPPNAME`,
//! `PGCONNECT_TIMEOUT`), then the password file (`PGPASSFILE` or
//! `~/.pgpass`). tokio-postgres reads none of these itself, and an ERP's
//! operators keep the password out of command lines (where `ps` shows it)
//! by exactly these means.
//!
//! The password is never part of what is printed: [`ConnInfo::server`]
//! names the server as `user@host:port/db`.
//!
//! No TLS: the client is built without a TLS stack, so `sslmode=require`
//! fails to connect with the server's or the client's reason rather than
//! falling back to plain text. Use it on loopback or a private network.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use postgres::config::Host;
use postgres::{Client, Config, NoTls};

use crate::error::PgError;

/// Connection settings resolved from a URL, the environment and the
/// password file.
#[derive(Clone)]
pub struct ConnInfo {
    config: Config,
    server: String,
}

impl std::fmt::Debug for ConnInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnInfo")
            .field("server", &self.server)
            .finish_non_exhaustive()
    }
}

impl ConnInfo {
    /// Settings from `url` (`postgresql://user@host:port/db` or
    /// `host=… dbname=…`; `None`: the environment alone) and this
    /// process's environment.
    ///
    /// # Errors
    ///
    /// [`PgError::Settings`] when the URL or a variable can't be read.
    pub fn new(url: Option<&str>) -> Result<ConnInfo, PgError> {
        let home = std::env::var_os("HOME").map(PathBuf::from);
        ConnInfo::resolve(url, &|name| std::env::var(name).ok(), home.as_deref())
    }

    /// [`ConnInfo::new`] with the environment given: the tests' way in.
    pub(crate) fn resolve(
        url: Option<&str>,
        env: &dyn Fn(&str) -> Option<String>,
        home: Option<&Path>,
    ) -> Result<ConnInfo, PgError> {
        let settings = |detail: String| PgError::Settings { detail };
        let mut config = match url.map(str::trim).filter(|url| !url.is_empty()) {
            // The parser's message never quotes the URL (so never its password).
            Some(url) => Config::from_str(url).map_err(|err| settings(err.to_string()))?,
            None => Config::new(),
        };
        if config.get_hosts().is_empty() {
            let host = env("PGHOST").filter(|h| !h.is_empty());
            let host = host.unwrap_or_else(|| {
                // libpq's default: the local socket directory, else TCP.
                let socket = "/var/run/postgresql";
                if Path::new(socket).is_dir() {
                    socket.to_owned()
                } else {
                    "localhost".to_owned()
                }
            });
            for host in host.split(',') {
                config.host(host);
            }
        }
        if config.get_ports().is_empty()
            && let Some(port) = env("PGPORT").filter(|p| !p.is_empty())
        {
            let port = port
                .parse::<u16>()
                .map_err(|_| settings(format!("PGPORT is not a port number: {port:?}")))?;
            config.port(port);
        }
        if config.get_user().is_none() {
            let user = env("PGUSER")
                .or_else(|| env("USER"))
                .or_else(|| env("LOGNAME"))
                .ok_or_else(|| settings("no user: give one in the URL or PGUSER".to_owned()))?;
            config.user(&user);
        }
        if config.get_dbname().is_none() {
            let dbname = env("PGDATABASE")
                .or_else(|| config.get_user().map(str::to_owned))
                .unwrap_or_default();
            config.dbname(&dbname);
        }
        if config.get_application_name().is_none() {
            let name = env("PGAPPNAME").unwrap_or_else(|| "custclass".to_owned());
            config.application_name(&name);
        }
        if config.get_connect_timeout().is_none() {
            let seconds = env("PGCONNECT_TIMEOUT")
                .and_then(|s| s.parse::<u64>().ok())
                .unwrap_or(10);
            config.connect_timeout(Duration::from_secs(seconds.max(2)));
        }
        let server = describe(&config);
        if config.get_password().is_none() {
            if let Some(password) = env("PGPASSWORD").filter(|p| !p.is_empty()) {
                config.password(password);
            } else {
                let file = env("PGPASSFILE")
                    .map(PathBuf::from)
                    .or_else(|| home.map(|home| home.join(".pgpass")));
                if let Some(password) = file.and_then(|file| pgpass_password(&file, &config)) {
                    config.password(password);
                }
            }
        }
        Ok(ConnInfo { config, server })
    }

    /// The server as `user@host:port/db`: what messages may name.
    pub fn server(&self) -> &str {
        &self.server
    }

    /// A new session.
    ///
    /// # Errors
    ///
    /// [`PgError::Connect`]: the server can't be reached or refused us.
    pub fn connect(&self) -> Result<Client, PgError> {
        let mut client = self.config.connect(NoTls).map_err(|err| PgError::Connect {
            server: self.server.clone(),
            detail: match err.as_db_error() {
                Some(db) => db.message().to_owned(),
                None if self.config.get_password().is_none()
                    && with_causes(&err).ends_with("password missing") =>
                {
                    format!(
                        "{}: the server wants a password (give it in PGPASSWORD, \
                         ~/.pgpass or the file PGPASSFILE names)",
                        with_causes(&err)
                    )
                }
                None => with_causes(&err),
            },
        })?;
        // Text as the library reads it: ISO dates, identifiers and strings
        // quoted the standard way (our quoting relies on it).
        client
            .batch_execute("SET DateStyle = ISO; SET standard_conforming_strings = on")
            .map_err(|err| PgError::server("setting up the session", &err))?;
        Ok(client)
    }
}

/// The client's error with its causes: "error connecting to server" alone
/// doesn't say whether the server refused, timed out or has no such
/// host. The causes are the network's and the client's own words, which
/// hold no setting's value.
fn with_causes(err: &postgres::Error) -> String {
    let mut text = err.to_string();
    let mut cause = std::error::Error::source(err);
    while let Some(next) = cause {
        text.push_str(&format!(": {next}"));
        cause = next.source();
    }
    text
}

/// `user@host:port/db`, without the password.
fn describe(config: &Config) -> String {
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(name)) => name.clone(),
        #[cfg(unix)]
        Some(Host::Unix(path)) => path.display().to_string(),
        None => "localhost".to_owned(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    format!(
        "{}@{host}:{port}/{}",
        config.get_user().unwrap_or_default(),
        config.get_dbname().unwrap_or_default()
    )
}

/// The password of the first line of the password file that matches,
/// as libpq reads it: `host:port:database:user:password`, `*` matching
/// anything, `\:` and `\\` escaped; a socket host matches `localhost`.
/// Like libpq, a file others may read is ignored (on Unix).
fn pgpass_password(file: &Path, config: &Config) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(file).ok()?.permissions().mode();
        if mode & 0o077 != 0 {
            eprintln!(
                "warning: password file {} has group or world access; it is ignored \
                 (chmod 0600 it)",
                file.display()
            );
            return None;
        }
    }
    let text = std::fs::read_to_string(file).ok()?;
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(name)) => name.clone(),
        _ => "localhost".to_owned(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let wanted = [
        host.as_str(),
        port.as_str(),
        config.get_dbname().unwrap_or_default(),
        config.get_user().unwrap_or_default(),
    ];
    text.lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .find_map(|line| {
            let fields = split_pgpass(line);
            let [host, port, db, user, password] = fields.as_slice() else {
                return None;
            };
            let matches = [host, port, db, user]
                .iter()
                .zip(wanted)
                .all(|(field, want)| field.as_str() == "*" || field.as_str() == want);
            matches.then(|| password.clone())
        })
}

/// A line of the password file split at its unescaped colons.
fn split_pgpass(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let (Some(next), Some(field)) = (chars.next(), fields.last_mut()) {
                    field.push(next);
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => {
                if let Some(field) = fields.last_mut() {
                    field.push(c);
                }
            }
        }
    }
    fields
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        }
    }

    #[test]
    fn the_url_wins_and_the_environment_fills_the_gaps() {
        let info = ConnInfo::resolve(
            Some("postgresql://ann:secret@db.example:6543"),
            &env(&[("PGDATABASE", "erp"), ("PGUSER", "bob"), ("PGPORT", "1")]),
            None,
        )
        .unwrap();
        assert_eq!(info.server(), "ann@db.example:6543/erp");
        assert_eq!(info.config.get_password(), Some(&b"secret"[..]));
        assert!(!format!("{info:?}").contains("secret"));
    }

    #[test]
    fn without_a_url_the_environment_gives_everything() {
        let info = ConnInfo::resolve(
            None,
            &env(&[
                ("PGHOST", "127.0.0.1"),
                ("PGPORT", "5433"),
                ("PGUSER", "erp"),
                ("PGPASSWORD", "pw"),
            ]),
            None,
        )
        .unwrap();
        assert_eq!(info.server(), "erp@127.0.0.1:5433/erp");
        assert_eq!(info.config.get_password(), Some(&b"pw"[..]));
    }

    #[test]
    fn a_bad_port_is_a_settings_error_that_names_it() {
        let err =
            ConnInfo::resolve(None, &env(&[("PGPORT", "x"), ("PGUSER", "u")]), None).unwrap_err();
        assert_eq!(err.code(), "connection_settings");
        assert!(err.to_string().contains("PGPORT"));
    }

    #[test]
    fn the_password_file_is_read_as_libpq_reads_it() {
        let dir = std::env::temp_dir().join(format!("custclass-pgpass-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("pgpass");
        std::fs::write(
            &file,
            "# comment\nother:*:*:*:no\n127.0.0.1:5433:*:erp:pa\\:ss\\\\word\n*:*:*:*:fallback\n",
        )
        .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        let path = file.to_string_lossy().into_owned();
        let lookup = move |name: &str| match name {
            "PGPASSFILE" => Some(path.clone()),
            "PGHOST" => Some("127.0.0.1".to_owned()),
            "PGPORT" => Some("5433".to_owned()),
            "PGUSER" => Some("erp".to_owned()),
            _ => None,
        };
        let info = ConnInfo::resolve(None, &lookup, None).unwrap();
        assert_eq!(info.config.get_password(), Some(&b"pa:ss\\word"[..]));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
            let info = ConnInfo::resolve(None, &lookup, None).unwrap();
            assert_eq!(
                info.config.get_password(),
                None,
                "a readable file is ignored"
            );
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
