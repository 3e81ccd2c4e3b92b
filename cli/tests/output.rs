//! Where the command line writes and what it reads: `--out` onto links,
//! FIFOs, devices and kept permissions; an output that is an input; a stop
//! by Ctrl-C; a reader that stops early (`| head`); `-` for standard input.
//! Real processes on real files in a temporary folder.

#![cfg(unix)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::fs::{self, File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt, symlink};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

mod common;

use common::{custclass, example, scratch, text};

const BIN: &str = env!("CARGO_BIN_EXE_custclass");

/// Longer than any run here takes; a hung run fails the test instead of
/// hanging it.
const PATIENCE: Duration = Duration::from_secs(120);

fn setup() -> String {
    example("setup.json")
}

fn customers() -> String {
    example("customers.csv")
}

fn order_lines() -> String {
    example("order-lines.csv")
}

/// The first `rows` customers of the example file, with its header.
fn some_customers(rows: usize) -> String {
    let example = fs::read_to_string(customers()).unwrap();
    example
        .lines()
        .take(rows + 1)
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
}

/// Opens a FIFO for writing once the child has opened it for reading,
/// without hanging the test if the child never does.
fn open_writer(fifo: &Path, child: &mut Child) -> File {
    let (sender, receiver) = mpsc::channel();
    let path = fifo.to_owned();
    std::thread::spawn(move || {
        let _ = sender.send(OpenOptions::new().write(true).open(path));
    });
    match receiver.recv_timeout(PATIENCE) {
        Ok(file) => file.unwrap(),
        Err(_) => {
            let _ = child.kill();
            panic!("the run never opened {}", fifo.display());
        }
    }
}

/// Waits for the child, killing it (and failing) if it takes too long.
fn wait(child: &mut Child) -> ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if started.elapsed() > PATIENCE {
            let _ = child.kill();
            panic!("the run did not end");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Waits until `ready` holds, failing if the child ends first or it takes
/// too long.
fn wait_for(child: &mut Child, what: &str, ready: impl Fn() -> bool) {
    let started = Instant::now();
    while !ready() {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the run ended ({status}) before {what}");
        }
        if started.elapsed() > PATIENCE {
            let _ = child.kill();
            panic!("never: {what}");
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Temporary files of an output named `name` in `dir`: hidden names
/// starting with the output's name, links excluded.
fn temporaries(dir: &Path, name: &str) -> Vec<String> {
    names(dir)
        .into_iter()
        .filter(|file| file.starts_with(&format!(".{name}")))
        .filter(|file| !dir.join(file).is_symlink())
        .collect()
}

/// A link planted at the name the temporary file used to have
/// (`.<name>.partial-<pid>`) is not followed: the file it points to is
/// untouched and the report still lands, because the temporary file is
/// created exclusively under a name nobody can guess.
#[test]
fn a_link_planted_at_the_temporary_name_is_not_followed() {
    let dir = scratch("planted");
    fs::write(dir.join("victim.txt"), "precious\n").unwrap();
    mkfifo(&dir.join("in.csv"));
    let mut child = Command::new(BIN)
        .args([
            "classify",
            "--setup",
            &setup(),
            "--out",
            "report.csv",
            "in.csv",
        ])
        .current_dir(&dir)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // The run is waiting on its input: plant the link before it can create
    // its temporary file.
    let planted = format!(".report.csv.partial-{}", child.id());
    symlink("victim.txt", dir.join(&planted)).unwrap();
    let mut input = open_writer(&dir.join("in.csv"), &mut child);
    input.write_all(some_customers(20).as_bytes()).unwrap();
    let victim_intact = || fs::read_to_string(dir.join("victim.txt")).unwrap() == "precious\n";
    wait_for(&mut child, "the output opened", || {
        !temporaries(&dir, "report.csv").is_empty() || !victim_intact()
    });
    drop(input);
    let status = wait(&mut child);
    assert!(status.success(), "{status}");

    assert!(victim_intact(), "the planted link was followed");
    assert_eq!(
        fs::read_link(dir.join(&planted)).unwrap(),
        Path::new("victim.txt")
    );
    let report = fs::read_to_string(dir.join("report.csv")).unwrap();
    assert_eq!(report.lines().count(), 21);
    assert!(temporaries(&dir, "report.csv").is_empty());
    fs::remove_dir_all(&dir).unwrap();
}

/// `--out` through a link (or a chain of them) writes the file at the end
/// of the chain and leaves the links as they were; a dangling link gets the
/// file it points to.
#[test]
fn an_output_through_a_link_writes_the_file_and_keeps_the_link() {
    let dir = scratch("link");
    fs::create_dir(dir.join("real")).unwrap();
    fs::write(dir.join("in.csv"), some_customers(5)).unwrap();
    fs::write(dir.join("real/report.csv"), "old report\n").unwrap();
    symlink("real/report.csv", dir.join("link.csv")).unwrap();
    symlink("link.csv", dir.join("chain.csv")).unwrap();
    symlink("real/new.csv", dir.join("dangling.csv")).unwrap();
    let classify = |out: &str| {
        let run = custclass(
            &["classify", "--setup", &setup(), "--out", out, "in.csv"],
            &dir,
        );
        assert!(run.status.success(), "{}", text(&run.stderr));
    };

    for out in ["link.csv", "chain.csv"] {
        fs::write(dir.join("real/report.csv"), "old report\n").unwrap();
        classify(out);
        assert_eq!(
            fs::read_link(dir.join("link.csv")).unwrap(),
            Path::new("real/report.csv")
        );
        assert_eq!(
            fs::read_link(dir.join("chain.csv")).unwrap(),
            Path::new("link.csv")
        );
        let report = fs::read_to_string(dir.join("real/report.csv")).unwrap();
        assert_eq!(report.lines().count(), 6, "through {out}: {report}");
    }

    classify("dangling.csv");
    assert_eq!(
        fs::read_link(dir.join("dangling.csv")).unwrap(),
        Path::new("real/new.csv")
    );
    let report = fs::read_to_string(dir.join("real/new.csv")).unwrap();
    assert_eq!(report.lines().count(), 6);

    assert_eq!(
        names(&dir),
        ["chain.csv", "dangling.csv", "in.csv", "link.csv", "real"]
    );
    assert_eq!(names(&dir.join("real")), ["new.csv", "report.csv"]);
    fs::remove_dir_all(&dir).unwrap();
}

/// A FIFO given as `--out` gets the report as a stream, and is still a FIFO
/// afterwards (not replaced by a regular file).
#[test]
fn a_fifo_output_receives_the_stream_and_stays_a_fifo() {
    let dir = scratch("fifo-out");
    fs::write(dir.join("in.csv"), some_customers(50)).unwrap();
    let fifo = dir.join("out.fifo");
    mkfifo(&fifo);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut report = String::new();
            File::open(fifo)
                .unwrap()
                .read_to_string(&mut report)
                .unwrap();
            report
        })
    };
    let run = custclass(
        &[
            "classify",
            "--setup",
            &setup(),
            "--out",
            "out.fifo",
            "in.csv",
        ],
        &dir,
    );
    assert!(run.status.success(), "{}", text(&run.stderr));
    // Before waiting for the reader: a FIFO replaced by a file would leave
    // it waiting for ever.
    assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());
    let report = reader.join().unwrap();
    assert_eq!(report.lines().count(), 51);
    assert!(report.starts_with("id;name;"), "{report}");
    assert_eq!(names(&dir), ["in.csv", "out.fifo"]);
    fs::remove_dir_all(&dir).unwrap();
}

/// A device given as `--out` is written to, not replaced. With root's
/// rights a private copy of the null device is used, so that a regression
/// can't replace the machine's `/dev/null`; without them `/dev/null` itself
/// (which a regression couldn't replace either).
#[test]
fn a_device_output_stays_a_device() {
    let dir = scratch("device");
    fs::write(dir.join("in.csv"), some_customers(5)).unwrap();
    let private = dir.join("null");
    let made = Command::new("mknod")
        .args([private.to_str().unwrap(), "c", "1", "3"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    let device = if made {
        private
    } else {
        PathBuf::from("/dev/null")
    };
    let before = fs::metadata(&device).unwrap();
    let run = custclass(
        &[
            "classify",
            "--setup",
            &setup(),
            "--out",
            device.to_str().unwrap(),
            "in.csv",
        ],
        &dir,
    );
    assert!(run.status.success(), "{}", text(&run.stderr));
    let after = fs::metadata(&device).unwrap();
    assert!(after.file_type().is_char_device());
    assert_eq!((after.ino(), after.rdev()), (before.ino(), before.rdev()));
    let parent = device.parent().unwrap();
    assert!(temporaries(parent, "null").is_empty());
    fs::remove_dir_all(&dir).unwrap();
}

/// A replaced file keeps its permission bits; a new one gets 0666 less the
/// umask.
#[test]
fn a_replaced_file_keeps_its_permissions_and_a_new_one_follows_the_umask() {
    let dir = scratch("mode");
    fs::write(dir.join("in.csv"), some_customers(5)).unwrap();
    let run = |umask: &str, out: &str| {
        let run = Command::new("sh")
            .args([
                "-c",
                &format!("umask {umask} && exec \"$0\" classify --setup \"$1\" --out {out} in.csv"),
                BIN,
                &setup(),
            ])
            .current_dir(&dir)
            .output()
            .unwrap();
        assert!(run.status.success(), "{}", text(&run.stderr));
        fs::metadata(dir.join(out)).unwrap().permissions().mode() & 0o7777
    };

    fs::write(dir.join("secret.csv"), "old\n").unwrap();
    fs::set_permissions(dir.join("secret.csv"), fs::Permissions::from_mode(0o600)).unwrap();
    assert_eq!(run("022", "secret.csv"), 0o600);
    // Bits the umask would take away are kept too: they were the file's.
    fs::set_permissions(dir.join("secret.csv"), fs::Permissions::from_mode(0o664)).unwrap();
    assert_eq!(run("022", "secret.csv"), 0o664);
    let report = fs::read_to_string(dir.join("secret.csv")).unwrap();
    assert_eq!(report.lines().count(), 6);

    assert_eq!(run("022", "new.csv"), 0o644);
    assert_eq!(run("027", "newer.csv"), 0o640);
    fs::remove_dir_all(&dir).unwrap();
}

/// `--out` naming an input (directly, through a link, through a hard link,
/// or the file on standard input) is refused with exit 2 before anything is
/// read, and the input is left as it was.
#[test]
fn an_output_that_is_an_input_is_refused_before_anything_is_read() {
    let dir = scratch("same");
    let customers = some_customers(5);
    fs::write(dir.join("in.csv"), &customers).unwrap();
    fs::copy(order_lines(), dir.join("lines.csv")).unwrap();
    let lines = fs::read_to_string(dir.join("lines.csv")).unwrap();
    symlink("in.csv", dir.join("link.csv")).unwrap();
    fs::hard_link(dir.join("in.csv"), dir.join("hard.csv")).unwrap();
    // Read by none of the runs: a run that opened it would hang on it.
    mkfifo(&dir.join("never.csv"));
    let setup = setup();
    let refused = |args: &[&str], stdin: Option<&str>| {
        let mut command = Command::new(BIN);
        command.args(args).current_dir(&dir).stderr(Stdio::piped());
        command.stdout(Stdio::null());
        command.stdin(match stdin {
            Some(file) => Stdio::from(File::open(dir.join(file)).unwrap()),
            None => Stdio::null(),
        });
        let mut child = command.spawn().unwrap();
        let status = wait(&mut child);
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        assert_eq!(status.code(), Some(2), "{args:?}: {stderr}");
        stderr
    };

    for out in ["in.csv", "link.csv", "hard.csv"] {
        let stderr = refused(
            &["classify", "--setup", &setup, "--out", out, "in.csv"],
            None,
        );
        assert!(
            stderr.contains(out) && stderr.contains("in.csv") && stderr.contains("same file"),
            "{stderr}"
        );
    }
    let stderr = refused(
        &[
            "filter",
            "--setup",
            &setup,
            "--where",
            "country = 'NL'",
            "--out",
            "link.csv",
            "in.csv",
        ],
        None,
    );
    assert!(stderr.contains("link.csv"), "{stderr}");
    // Found before the customers (a FIFO nobody writes) are opened.
    let stderr = refused(
        &[
            "price",
            "--setup",
            &setup,
            "--customers",
            "never.csv",
            "--out",
            "lines.csv",
            "lines.csv",
        ],
        None,
    );
    assert!(stderr.contains("lines.csv"), "{stderr}");
    let stderr = refused(
        &[
            "price",
            "--setup",
            &setup,
            "--customers",
            "hard.csv",
            "--out",
            "in.csv",
            "never.csv",
        ],
        None,
    );
    assert!(stderr.contains("hard.csv"), "{stderr}");
    let stderr = refused(
        &["classify", "--setup", &setup, "--out", "in.csv", "-"],
        Some("in.csv"),
    );
    assert!(stderr.contains("standard input"), "{stderr}");
    let stderr = refused(
        &[
            "classify",
            "--setup",
            "in.csv",
            "--out",
            "in.csv",
            "never.csv",
        ],
        None,
    );
    assert!(stderr.contains("same file"), "{stderr}");

    assert_eq!(fs::read_to_string(dir.join("in.csv")).unwrap(), customers);
    assert_eq!(fs::read_to_string(dir.join("lines.csv")).unwrap(), lines);
    assert!(dir.join("link.csv").is_symlink());
    assert_eq!(
        names(&dir),
        ["hard.csv", "in.csv", "lines.csv", "link.csv", "never.csv"]
    );
    fs::remove_dir_all(&dir).unwrap();
}

/// Runs `args` with a FIFO `in.fifo` as the input that blocks, sends
/// `signal` once the temporary file for `out` exists, and returns how the
/// run ended. `head` is what the FIFO gets before the signal.
fn stopped_by(dir: &Path, args: &[&str], out: &str, head: &str, signal: &str) -> ExitStatus {
    mkfifo(&dir.join("in.fifo"));
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut input = open_writer(&dir.join("in.fifo"), &mut child);
    input.write_all(head.as_bytes()).unwrap();
    wait_for(&mut child, "a temporary file", || {
        !temporaries(dir, out).is_empty()
    });
    let sent = Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let status = wait(&mut child);
    drop(input);
    status
}

/// Ctrl-C (SIGINT) or `kill` (SIGTERM) during a run removes the temporary
/// file and leaves the old report as it was; the run ends as killed by that
/// signal, which a shell shows as exit 130 or 143 (and which stops a shell
/// loop around the command).
#[test]
fn a_stop_by_signal_leaves_no_temporary_file() {
    let dir = scratch("signal");
    fs::write(dir.join("report.csv"), "old report\n").unwrap();
    let setup = setup();

    // classify creates its output once it has read the header, then reads
    // the rows.
    let status = stopped_by(
        &dir,
        &[
            "classify",
            "--setup",
            &setup,
            "--out",
            "report.csv",
            "in.fifo",
        ],
        "report.csv",
        &some_customers(20),
        "INT",
    );
    assert_eq!(status.signal(), Some(2), "{status}");
    assert!(
        temporaries(&dir, "report.csv").is_empty(),
        "{:?}",
        names(&dir)
    );
    assert_eq!(
        fs::read_to_string(dir.join("report.csv")).unwrap(),
        "old report\n"
    );
    fs::remove_file(dir.join("in.fifo")).unwrap();

    // price reads the customers whole, then creates its output and streams
    // the order lines.
    let lines = fs::read_to_string(order_lines()).unwrap();
    let head: String = lines
        .lines()
        .take(4)
        .map(|line| format!("{line}\n"))
        .collect();
    let status = stopped_by(
        &dir,
        &[
            "price",
            "--setup",
            &setup,
            "--customers",
            &customers(),
            "--out",
            "quotes.csv",
            "in.fifo",
        ],
        "quotes.csv",
        &head,
        "TERM",
    );
    assert_eq!(status.signal(), Some(15), "{status}");
    assert_eq!(names(&dir), ["in.fifo", "report.csv"]);
    fs::remove_dir_all(&dir).unwrap();
}

/// Runs `args` with standard output read by something that stops after one
/// line (`| head -1`) and returns the line, the exit status and standard
/// error.
fn head_one(args: &[&str]) -> (String, ExitStatus, String) {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    drop(stdout);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    (first, wait(&mut child), stderr)
}

/// A reader that stops early (`custclass … | head -1`) ends the run quietly
/// with exit 0, whatever was being written.
#[test]
fn a_reader_that_stops_early_ends_the_run_quietly() {
    let setup = setup();
    let customers = customers();
    let lines = order_lines();
    let dir = scratch("head");
    // Each writes far more than a pipe holds.
    let big_lines = {
        let text = fs::read_to_string(&lines).unwrap();
        let (header, rows) = text.split_once('\n').unwrap();
        let mut big = format!("{header}\n");
        for _ in 0..2000 {
            big.push_str(rows);
        }
        fs::write(dir.join("lines.csv"), big).unwrap();
        dir.join("lines.csv").to_str().unwrap().to_owned()
    };
    let runs: [Vec<&str>; 4] = [
        vec!["classify", "--setup", &setup, &customers],
        vec![
            "classify", "--setup", &setup, "--format", "jsonl", &customers,
        ],
        vec![
            "filter",
            "--setup",
            &setup,
            "--where",
            "not country = 'ZW'",
            &customers,
        ],
        vec![
            "price",
            "--setup",
            &setup,
            "--customers",
            &customers,
            &big_lines,
        ],
    ];
    for args in runs {
        let (first, status, stderr) = head_one(&args);
        assert!(!first.is_empty(), "{args:?}: no first line; {stderr}");
        assert_eq!(status.code(), Some(0), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
    }
    fs::remove_dir_all(&dir).unwrap();
}

/// `-` reads standard input: classify's and filter's customers, price's
/// order lines or its customers; not both at once.
#[test]
fn a_dash_reads_standard_input() {
    let dir = scratch("stdin");
    fs::write(dir.join("in.csv"), some_customers(30)).unwrap();
    fs::copy(order_lines(), dir.join("lines.csv")).unwrap();
    fs::copy(customers(), dir.join("customers.csv")).unwrap();
    let setup = setup();
    let piped = |args: &[&str], stdin: &str| {
        let run = Command::new(BIN)
            .args(args)
            .current_dir(&dir)
            .stdin(File::open(dir.join(stdin)).unwrap())
            .output()
            .unwrap();
        (run.status.code(), text(&run.stdout), text(&run.stderr))
    };

    let (code, stdout, stderr) = piped(&["classify", "--setup", &setup, "-"], "in.csv");
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stdout.lines().count(), 31);
    assert!(
        stderr.contains("30 customers read: 30 classified"),
        "{stderr}"
    );

    let (code, stdout, stderr) = piped(
        &[
            "filter",
            "--setup",
            &setup,
            "--where",
            "not country = 'ZW'",
            "--columns",
            "id",
            "-",
        ],
        "in.csv",
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stdout.lines().count(), 31);

    let from_file = piped(
        &[
            "price",
            "--setup",
            &setup,
            "--customers",
            "customers.csv",
            "lines.csv",
        ],
        "in.csv",
    );
    assert_eq!(from_file.0, Some(0), "{}", from_file.2);
    let lines_piped = piped(
        &[
            "price",
            "--setup",
            &setup,
            "--customers",
            "customers.csv",
            "-",
        ],
        "lines.csv",
    );
    assert_eq!(lines_piped.1, from_file.1);
    let customers_piped = piped(
        &["price", "--setup", &setup, "--customers", "-", "lines.csv"],
        "customers.csv",
    );
    assert_eq!(customers_piped.1, from_file.1);

    let (code, stdout, stderr) = piped(
        &["price", "--setup", &setup, "--customers", "-", "-"],
        "lines.csv",
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("standard input"), "{stderr}");
    fs::remove_dir_all(&dir).unwrap();
}
