//! Issue 4 end to end: `qoltanba enroll` (the terminal phone) against a `qoltanba-server serve --dev`
//! process, the operator's part taken by a background thread through core's `OperatorClient`.
//!
//! - citizens with and without a registered phone end with two key files openssl opens and verifies;
//! - the CLI killed (SIGKILL) at every step of the flow, in the middle of key generation and right after
//!   the CSRs reached the server, resumes with the same `--state` and ends with exactly two certificates;
//! - bad input at every prompt ends the run with exit 2 and a clear message, and the corrected rerun
//!   continues from the same step of the same server session.
//!
//! A mismatched PIN confirmation cannot be written in an answers file (`pin` answers both prompts); it is
//! tested on the library level (core's driver tests).

mod support;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use support::proxy::Proxy;
use support::{
    Answers, Citizen, Operator, Run, Server, check_key_file, citizen, enroll_command, inspected_purpose,
    traced_step,
};

/// Seed citizen with a registered phone.
const WITH_PHONE: usize = 0;
/// Seed citizen without one (the operator registers it).
const WITHOUT_PHONE: usize = 2;

/// Checks both key files of an enrollment with openssl and `qoltanba inspect`, and the server's list.
fn check_enrolled(run: &Run, server: &Server, who: &Citizen) {
    let files = run.enrolled();
    let scratch = tempfile::tempdir().unwrap();
    let name = |path: &Path| path.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name(&files.auth).starts_with("AUTH_RSA256_"), "{}", files.auth.display());
    assert!(name(&files.sign).starts_with("RSA256_"), "{}", files.sign.display());
    check_key_file(&files.auth, &files.ca, who, scratch.path());
    check_key_file(&files.sign, &files.ca, who, scratch.path());
    assert_eq!(inspected_purpose(&files.auth), "auth");
    assert_eq!(inspected_purpose(&files.sign), "sign");
    assert_two_certificates(server, who);
}

fn assert_two_certificates(server: &Server, who: &Citizen) {
    let certs = server.certs(&who.iin);
    let mut purposes: Vec<&str> = certs.iter().filter_map(|c| c["purpose"].as_str()).collect();
    purposes.sort_unstable();
    assert_eq!(purposes.len(), 2, "exactly two certificates for {}: {certs:?}", who.iin);
    assert_ne!(purposes[0], purposes[1], "one auth and one sign: {certs:?}");
}

#[test]
fn enrolls_citizens_with_and_without_a_registered_phone_into_key_files_openssl_accepts() {
    let server = Server::start();
    let _operator = Operator::start(&server);
    for index in [WITH_PHONE, WITHOUT_PHONE] {
        let who = citizen(index);
        let state = tempfile::tempdir().unwrap();
        let answers = Answers::for_citizen(&who).write(&state.path().join("answers"));
        let run = Run::to_end(&server.url(), state.path(), &answers);
        check_enrolled(&run, &server, &who);
        let steps = run.steps();
        let asked_phone = steps.iter().any(|s| s == "AwaitingOperator");
        assert_eq!(asked_phone, !who.phone_registered, "operator step iff no phone: {steps:?}");
    }
}

/// A `qoltanba enroll` run killed with SIGKILL when `kill_when` says so, given the distinct steps moved
/// to so far; returns those steps and whether it was killed (else it ended by itself).
fn run_killed(
    server: &str,
    state: &Path,
    answers: &Path,
    mut kill_when: impl FnMut(&[String], &mut std::process::Child) -> bool,
) -> (Vec<String>, bool) {
    let mut child = enroll_command(server, state, answers).spawn().unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut steps: Vec<String> = Vec::new();
    let mut killed = false;
    for line in BufReader::new(stderr).lines() {
        let Ok(line) = line else { break };
        let Some(step) = traced_step(&line, "enrollment step") else { continue };
        if steps.last() == Some(&step) {
            continue;
        }
        steps.push(step);
        if kill_when(&steps, &mut child) {
            child.kill().unwrap();
            killed = true;
            break;
        }
    }
    child.wait().unwrap();
    (steps, killed)
}

/// The rerun after a kill: one uninterrupted run that must end enrolled.
fn rerun_to_enrolled(server: &Server, who: &Citizen, state: &Path, answers: &Path, killed_at: &str) {
    let run = Run::to_end(&server.url(), state, answers);
    assert_eq!(run.code, Some(0), "rerun after a kill at {killed_at} did not end enrolled:\n{}", run.stderr);
    check_enrolled(&run, server, who);
}

#[test]
fn killed_at_each_step_in_turn_every_rerun_ends_enrolled_with_exactly_two_certificates() {
    let who = citizen(WITHOUT_PHONE);
    let full_run = {
        let server = Server::start();
        let _operator = Operator::start(&server);
        let state = tempfile::tempdir().unwrap();
        let answers = Answers::for_citizen(&who).write(&state.path().join("answers"));
        let (steps, killed) = run_killed(&server.url(), state.path(), &answers, |_, _| false);
        assert!(!killed && steps.last().map(String::as_str) == Some("Done"), "{steps:?}");
        eprintln!("a full run moves through {} steps: {steps:?}", steps.len());
        steps
    };
    // Every step but the last (Done: nothing is left to interrupt).
    for (k, step) in full_run.iter().enumerate().take(full_run.len() - 1) {
        let server = Server::start();
        let _operator = Operator::start(&server);
        let state = tempfile::tempdir().unwrap();
        let answers = Answers::for_citizen(&who).write(&state.path().join("answers"));
        let (steps, killed) =
            run_killed(&server.url(), state.path(), &answers, |steps, _| steps.len() == k + 1);
        assert!(killed, "run {k} was to be killed at {step}: {steps:?}");
        assert_eq!(steps.last(), Some(step), "the flow went another way: {steps:?} vs {full_run:?}");
        rerun_to_enrolled(&server, &who, state.path(), &answers, step);
    }
}

/// The pending key files (`.key`) in the state directory.
fn pending_keys(state: &Path) -> usize {
    std::fs::read_dir(state)
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "key"))
        .count()
}

#[test]
fn killed_between_the_two_key_generations_the_rerun_ends_enrolled_with_exactly_two_certificates() {
    let who = citizen(WITH_PHONE);
    let server = Server::start();
    let _operator = Operator::start(&server);
    let state = tempfile::tempdir().unwrap();
    let answers = Answers::for_citizen(&who).write(&state.path().join("answers"));
    let dir = state.path().to_owned();
    let mut pending_at_kill = None;
    let (steps, killed) = run_killed(&server.url(), state.path(), &answers, |steps, child| {
        if steps.last().map(String::as_str) != Some("GeneratingKeys") {
            return false;
        }
        // The first key is written while the second is being made.
        while pending_keys(&dir) == 0 && child.try_wait().ok().flatten().is_none() {
            std::thread::sleep(Duration::from_millis(2));
        }
        pending_at_kill = Some(pending_keys(&dir));
        true
    });
    assert!(killed, "{steps:?}");
    assert_eq!(pending_at_kill, Some(1), "killed with the first key made and the second not yet");
    assert!(server.certs(&who.iin).is_empty(), "nothing is issued before the CSRs are sent");
    rerun_to_enrolled(&server, &who, state.path(), &answers, "GeneratingKeys");
    assert_eq!(pending_keys(state.path()), 0, "the interrupted generation's key is discarded by the rerun");
}

#[test]
fn killed_after_the_server_issued_but_before_the_answer_arrived_the_rerun_installs_the_same_two() {
    let who = citizen(WITH_PHONE);
    let server = Server::start();
    let _operator = Operator::start(&server);
    let state = tempfile::tempdir().unwrap();
    let answers = Answers::for_citizen(&who).write(&state.path().join("answers"));
    let child = Arc::new(Mutex::new(None::<std::process::Child>));
    let target = child.clone();
    let kill = Arc::new(move || {
        if let Some(child) = target.lock().unwrap().as_mut() {
            child.kill().unwrap();
        }
    });
    let proxy = Proxy::start(server.address, b"/csrs ", kill);
    let through = format!("http://{}", proxy.address);
    let mut command = enroll_command(&through, state.path(), &answers);
    *child.lock().unwrap() = Some(command.spawn().unwrap());
    let status = loop {
        if let Some(status) = child.lock().unwrap().as_mut().unwrap().try_wait().unwrap() {
            break status;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(proxy.fired() && status.code().is_none(), "killed on the CSRs' answer: {status}");
    assert_two_certificates(&server, &who);
    let issued: Vec<String> =
        server.certs(&who.iin).iter().filter_map(|c| c["serial"].as_str().map(str::to_owned)).collect();

    let run = Run::to_end(&through, state.path(), &answers);
    assert_eq!(run.opened_at().as_deref(), Some("Issuing"), "{}", run.stderr);
    check_enrolled(&run, &server, &who);
    let installed: Vec<String> =
        run.stdout.lines().filter_map(|l| l.split('\t').nth(1).map(str::to_uppercase)).collect();
    for serial in &issued {
        assert!(installed.contains(&serial.to_uppercase()), "{serial} not installed: {}", run.stdout);
    }
}

/// A run with `answers` that must be refused: exit 2, `message` on stderr, stopped at `step`.
fn refused(server: &Server, state: &Path, answers: &Answers, message: &str, step: &str) -> Run {
    let path = answers.write(&state.join("answers"));
    let run = Run::to_end(&server.url(), state, &path);
    assert_eq!(run.code, Some(2), "refused with exit 2:\n{}", run.stderr);
    assert!(run.stderr.contains(message), "stderr names the problem ({message}):\n{}", run.stderr);
    assert_eq!(run.stopped_at().as_deref(), Some(step), "{}", run.stderr);
    run
}

#[test]
fn bad_input_at_every_prompt_is_refused_and_the_corrected_rerun_continues_the_same_session() {
    let who = citizen(1);
    let server = Server::start();
    let _operator = Operator::start(&server);
    let scratch = tempfile::tempdir().unwrap();
    let state = scratch.path();
    let good = Answers::for_citizen(&who);
    let mut answers = good.clone();

    answers.iin = "90010130012".into();
    refused(&server, state, &answers, "An IIN has 12 digits; this has 11", "EnterIin");
    let mut wrong_check = good.iin.clone().into_bytes();
    wrong_check[11] = b'0' + (wrong_check[11] - b'0' + 1) % 10;
    answers.iin = String::from_utf8(wrong_check).unwrap();
    let run = refused(&server, state, &answers, "the check digit does not match", "EnterIin");
    assert_eq!(run.opened_at().as_deref(), Some("EnterIin"));
    assert_eq!(server.sms_sent(&who.phone), 0, "no session yet");

    answers.iin = good.iin.clone();
    answers.sms_code = "12a456".into();
    refused(&server, state, &answers, "The SMS code has six digits", "EnterSmsCode");
    let sent = server.sms_sent(&who.phone);
    assert_eq!(sent, 1, "one session, one code");
    let real = server.latest_code(&who.phone);
    answers.sms_code = real.chars().map(|c| if c == '1' { '2' } else { '1' }).collect();
    let run = refused(&server, state, &answers, "Wrong code. Tries left", "EnterSmsCode");
    assert_eq!(run.opened_at().as_deref(), Some("EnterSmsCode"));

    answers.sms_code = good.sms_code.clone();
    let mut too_large = good.selfie.clone();
    too_large.resize(5 * 1024 * 1024 + 1, 0);
    answers.selfie = too_large.clone();
    let run = refused(&server, state, &answers, "The picture is too large (at most 5 MB)", "TakeSelfie");
    assert_eq!(run.opened_at().as_deref(), Some("EnterSmsCode"), "continued at the code");

    answers.selfie = good.selfie.clone();
    answers.pin = "1234".into();
    let run = refused(&server, state, &answers, "This PIN is too easy to guess", "ChoosePin");
    assert_eq!(run.opened_at().as_deref(), Some("TakeSelfie"));

    answers.pin = good.pin.clone();
    answers.id_card = too_large;
    let run = refused(&server, state, &answers, "The picture is too large", "TakeIdCardPhoto");
    assert_eq!(run.opened_at().as_deref(), Some("ChoosePin"));

    answers.id_card = good.id_card.clone();
    answers.password = "short1".into();
    let run = refused(&server, state, &answers, "A password has at least", "ChoosePassword");
    assert_eq!(run.opened_at().as_deref(), Some("TakeIdCardPhoto"));

    let path = good.write(&state.join("answers"));
    let run = Run::to_end(&server.url(), state, &path);
    assert_eq!(run.opened_at().as_deref(), Some("ChoosePassword"), "{}", run.stderr);
    check_enrolled(&run, &server, &who);
    assert_eq!(server.sms_sent(&who.phone), sent, "the same session throughout: no new code was sent");
}

#[test]
fn a_missing_binary_is_named_with_the_command_that_builds_it() {
    let missing = std::panic::catch_unwind(|| support::binary("qoltanba-no-such-binary"));
    let message = missing.err().and_then(|e| e.downcast::<String>().ok()).map(|s| *s).unwrap_or_default();
    assert!(message.contains("cargo test --workspace"), "{message}");
    assert!(Command::new(support::binary("qoltanba")).arg("--version").output().unwrap().status.success());
}
