//! What the terminal phone shows while the flow runs: each new step's progress line, notices and refused
//! input, in the chosen language.

use std::sync::{Arc, Mutex};

use qoltanba_core::enrollment::{InputError, Notice, Step, StepKind, View};
use qoltanba_core::ports::{Observer, Work};
use qoltanba_core::text;

use super::ports::Terminal;
use super::text::Text;

/// Prints the flow's progress on stderr.
pub struct Progress {
    terminal: Arc<Terminal>,
    shown: Mutex<(Option<StepKind>, Option<Notice>)>,
}

impl Progress {
    /// Progress in the terminal phone's language; refusals are passed on to it.
    pub fn new(terminal: Arc<Terminal>) -> Self {
        Self { terminal, shown: Mutex::new((None, None)) }
    }

    fn say(&self, text: Text) {
        eprintln!("{}", text.in_lang(self.terminal.lang()));
    }
}

impl Observer for Progress {
    fn view(&self, view: &View) {
        let lang = self.terminal.lang().into();
        let Ok(mut shown) = self.shown.lock() else { return };
        let kind = view.step.kind();
        if shown.0 != Some(kind) {
            shown.0 = Some(kind);
            match &view.step {
                Step::AwaitingOperator { .. } => self.say(Text::WaitingOperator),
                Step::SelfieUnderReview => self.say(Text::WaitingReview),
                Step::Issuing => self.say(Text::Issuing),
                Step::Done { .. } => self.say(Text::Done),
                Step::Failed { reason, detail } => {
                    let detail = detail.as_deref().map(|d| format!(" ({d})")).unwrap_or_default();
                    eprintln!(
                        "{}: {}{detail}",
                        Text::Failed.in_lang(self.terminal.lang()),
                        text::fail_reason(reason, lang)
                    );
                }
                _ => {}
            }
        }
        if view.notice != shown.1 {
            shown.1 = view.notice.clone();
            if let Some(notice) = &view.notice {
                eprintln!("! {}", text::notice(notice, lang));
                if matches!(
                    notice,
                    Notice::CodeMismatch { .. } | Notice::WrongPin { .. } | Notice::InstallFailed { .. }
                ) {
                    self.terminal.refuse_last();
                }
            }
        }
    }

    fn rejected(&self, error: &InputError) {
        eprintln!("! {}", text::input_error(error, self.terminal.lang().into()));
        self.terminal.refuse_last();
    }

    fn working(&self, work: Work) {
        if work == Work::GeneratingKeys {
            self.say(Text::GeneratingKeys);
        }
    }
}
