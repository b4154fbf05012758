//! A throwaway PostgreSQL cluster for the team-server tests: `initdb` in a temporary folder,
//! listening on 127.0.0.1 at a free port (and on a socket in that folder), stopped and deleted
//! when dropped. As root (CI) the server runs as the `postgres` system user, because `initdb`
//! refuses to run as root. `--auth=trust`: for a throwaway test cluster only.

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    pub port: u16,
    as_postgres: bool,
}

fn bin_dir() -> PathBuf {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL is installed (scripts/setup.sh installs the postgresql package)")
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.path().join("bin"))
        .filter(|bin| bin.join("initdb").exists())
        .collect();
    found.sort();
    found
        .pop()
        .expect("an initdb under /usr/lib/postgresql/*/bin")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port")
}

impl Cluster {
    /// Starts a cluster with one database, `study`.
    pub fn start() -> Cluster {
        let dir = tempfile::Builder::new()
            .prefix("casecode-pg")
            .tempdir()
            .expect("a temp dir");
        let as_postgres = is_root();
        if as_postgres {
            let status = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(dir.path())
                .status()
                .expect("chown");
            assert!(status.success());
        }
        let cluster = Cluster {
            bin: bin_dir(),
            port: free_port(),
            as_postgres,
            dir,
        };
        let data = cluster.data();
        cluster.pg_tool(
            "initdb",
            &[
                "-D",
                data.to_str().expect("a UTF-8 temp path"),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
        );
        cluster.start_server();
        cluster.psql("postgres", "CREATE DATABASE study");
        cluster
    }

    fn start_server(&self) {
        let data = self.data();
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60",
            self.port,
            self.dir.path().display()
        );
        let log = self.dir.path().join("pg.log");
        self.pg_tool(
            "pg_ctl",
            &[
                "-D",
                data.to_str().expect("a UTF-8 temp path"),
                "-l",
                log.to_str().expect("a UTF-8 temp path"),
                "-o",
                &options,
                "-w",
                "start",
            ],
        );
    }

    /// Stops the server at once, as a crash or a pulled cable would end it for its clients.
    #[allow(dead_code)]
    pub fn stop(&self) {
        let data = self.data();
        self.pg_tool(
            "pg_ctl",
            &[
                "-D",
                data.to_str().expect("a UTF-8 temp path"),
                "-m",
                "immediate",
                "-w",
                "stop",
            ],
        );
    }

    /// Starts the stopped server again, on the same port.
    #[allow(dead_code)]
    pub fn restart(&self) {
        self.start_server();
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn pg_tool(&self, tool: &str, args: &[&str]) {
        let program = self.bin.join(tool);
        let output = if self.as_postgres {
            Command::new("runuser")
                .args(["-u", "postgres", "--"])
                .arg(&program)
                .args(args)
                .output()
        } else {
            Command::new(&program).args(args).output()
        }
        .unwrap_or_else(|error| panic!("{tool}: {error}"));
        assert!(
            output.status.success(),
            "{tool} failed: {}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// Runs SQL as the superuser `postgres` on `database`.
    pub fn psql(&self, database: &str, sql: &str) -> String {
        let output = Command::new("psql")
            .args(["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1"])
            .arg("-h")
            .arg(self.dir.path())
            .arg("-p")
            .arg(self.port.to_string())
            .args(["-U", "postgres", "-d", database, "-c", sql])
            .output()
            .expect("psql");
        assert!(
            output.status.success(),
            "psql failed on {sql}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    }

    /// The address of database `study` (no project) for `role`.
    pub fn database_url(&self, role: &str) -> String {
        format!("postgres://{role}@127.0.0.1:{}/study", self.port)
    }

    /// The address of project `project` for `role`.
    pub fn url(&self, role: &str, project: &str) -> String {
        format!("{}?project={project}", self.database_url(role))
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.data();
        let program = self.bin.join("pg_ctl");
        let args = [
            "-D",
            data.to_str().unwrap_or_default(),
            "-m",
            "immediate",
            "stop",
        ];
        let _ = if self.as_postgres {
            Command::new("runuser")
                .args(["-u", "postgres", "--"])
                .arg(&program)
                .args(args)
                .output()
        } else {
            Command::new(&program).args(args).output()
        };
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|output| String::from_utf8_lossy(&output.stdout).trim() == "0")
        .unwrap_or(false)
}
