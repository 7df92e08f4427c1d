//! The `/login` page (kk / ru / en by `?lang=` or `Accept-Language`): the animated QR code, the number
//! to pick on the phone, the status and every refusal; and `/login/welcome`, the logged-in citizen.
//!
//! Stable element ids for tests: `#qr` (the `<img>`, refreshed every second from
//! `/v1/login/sessions/{id}/qr`), `#number`, `#status`, `#refusal`, `#restart`, and on the welcome page
//! `#citizen-name`, `#citizen-iin`.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use qoltanba_protocol::LoginRefusal;
use qoltanba_protocol::login::LOGIN_SESSION_COOKIE;
use serde::Deserialize;

use crate::web::console::{Lang, escape, read_cookie};
use crate::web::login::LoginState;

/// The login page.
pub const LOGIN_PAGE: &str = "/login";
/// The page of a logged-in citizen.
pub const WELCOME_PAGE: &str = "/login/welcome";

pub(crate) fn routes() -> Router<LoginState> {
    Router::new().route(LOGIN_PAGE, get(login)).route(WELCOME_PAGE, get(welcome))
}

#[derive(Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

/// One language's texts of the pages.
struct Texts {
    title: &'static str,
    instruction: &'static str,
    number: &'static str,
    waiting: &'static str,
    scanned: &'static str,
    approved: &'static str,
    expired: &'static str,
    refused: &'static str,
    restart: &'static str,
    welcome: &'static str,
    iin: &'static str,
    rate_limited: &'static str,
}

fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::Kk => &Texts {
            title: "eGov жүйесіне кіру",
            instruction: "Qoltanba қосымшасында QR-кодты сканерлеңіз және телефонда осы санды таңдаңыз:",
            number: "Сан",
            waiting: "QR-кодты сканерлеуді күтудеміз…",
            scanned: "Сканерленді: телефонда санды таңдап, PIN-кодпен растаңыз.",
            approved: "Расталды, кіріп жатырмыз…",
            expired: "Сессия мерзімі өтті. Жаңасын бастаңыз.",
            refused: "Кіру қабылданбады.",
            restart: "Жаңа QR-код",
            welcome: "Сіз жүйеге кірдіңіз",
            iin: "ЖСН",
            rate_limited: "Тым көп әрекет. Сәлден кейін қайталаңыз.",
        },
        Lang::Ru => &Texts {
            title: "Вход в eGov",
            instruction: "Отсканируйте QR-код в приложении Qoltanba и выберите на телефоне это число:",
            number: "Число",
            waiting: "Ожидаем сканирования QR-кода…",
            scanned: "Отсканировано: выберите число на телефоне и подтвердите PIN-кодом.",
            approved: "Подтверждено, выполняем вход…",
            expired: "Время сессии истекло. Начните заново.",
            refused: "Вход отклонён.",
            restart: "Новый QR-код",
            welcome: "Вы вошли в систему",
            iin: "ИИН",
            rate_limited: "Слишком много попыток. Повторите позже.",
        },
        Lang::En => &Texts {
            title: "Log in to eGov",
            instruction: "Scan the QR code with the Qoltanba app and pick this number on the phone:",
            number: "Number",
            waiting: "Waiting for the QR code to be scanned…",
            scanned: "Scanned: pick the number on the phone and confirm with your PIN.",
            approved: "Approved, logging you in…",
            expired: "The session expired. Start a new one.",
            refused: "The login was refused.",
            restart: "New QR code",
            welcome: "You are logged in",
            iin: "IIN",
            rate_limited: "Too many attempts. Try again later.",
        },
    }
}

/// The message shown for a refusal.
pub fn refusal_text(lang: Lang, reason: LoginRefusal) -> &'static str {
    use LoginRefusal as R;
    match (lang, reason) {
        (Lang::Kk, R::WrongNumber) => "Телефонда қате сан таңдалды.",
        (Lang::Ru, R::WrongNumber) => "На телефоне выбрано неверное число.",
        (Lang::En, R::WrongNumber) => "The wrong number was picked on the phone.",
        (Lang::Kk, R::Replayed) => "Бұл жауап бұрын қолданылған.",
        (Lang::Ru, R::Replayed) => "Этот ответ уже был использован.",
        (Lang::En, R::Replayed) => "This answer was already used.",
        (Lang::Kk, R::OtherSession) => "Жауап басқа кіру сессиясына арналған.",
        (Lang::Ru, R::OtherSession) => "Ответ предназначен для другой сессии входа.",
        (Lang::En, R::OtherSession) => "The answer was meant for another login session.",
        (Lang::Kk, R::CertificateRevoked) => "AUTH сертификаты кері қайтарылған.",
        (Lang::Ru, R::CertificateRevoked) => "Сертификат AUTH отозван.",
        (Lang::En, R::CertificateRevoked) => "The AUTH certificate is revoked.",
        (Lang::Kk, R::CertificateExpired) => "AUTH сертификатының мерзімі өткен.",
        (Lang::Ru, R::CertificateExpired) => "Срок действия сертификата AUTH истёк.",
        (Lang::En, R::CertificateExpired) => "The AUTH certificate has expired.",
        (Lang::Kk, R::NotAnAuthCertificate) => "Кіру үшін AUTH емес, қол қою сертификаты қолданылды.",
        (Lang::Ru, R::NotAnAuthCertificate) => {
            "Для входа использован не сертификат AUTH (сертификат подписи)."
        }
        (Lang::En, R::NotAnAuthCertificate) => {
            "A signing certificate was used instead of the AUTH certificate."
        }
        (Lang::Kk, R::BadSignature) => "Қолтаңба тексеруден өтпеді.",
        (Lang::Ru, R::BadSignature) => "Подпись не прошла проверку.",
        (Lang::En, R::BadSignature) => "The signature does not verify.",
        (Lang::Kk, R::UntrustedCertificate) => "Сертификатты бұл куәландырушы орталық бермеген.",
        (Lang::Ru, R::UntrustedCertificate) => "Сертификат выдан не этим удостоверяющим центром.",
        (Lang::En, R::UntrustedCertificate) => {
            "The certificate was not issued by this certification authority."
        }
        (Lang::Kk, R::Expired) => "Сессия мерзімі өтті.",
        (Lang::Ru, R::Expired) => "Время сессии истекло.",
        (Lang::En, R::Expired) => "The session expired.",
        (Lang::Kk, R::OtherBrowser) => "Бұл сессияны басқа браузер бастаған.",
        (Lang::Ru, R::OtherBrowser) => "Эта сессия начата в другом браузере.",
        (Lang::En, R::OtherBrowser) => "This session was started in another browser.",
        (Lang::Kk, R::StaleQrCode) => "QR-код ескірген. Экрандағы жаңасын сканерлеңіз.",
        (Lang::Ru, R::StaleQrCode) => "QR-код устарел. Отсканируйте текущий код с экрана.",
        (Lang::En, R::StaleQrCode) => "The QR code is stale. Scan the current one on the screen.",
        (Lang::Kk, R::AlreadyScanned) => "QR-кодты басқа телефон сканерлеген.",
        (Lang::Ru, R::AlreadyScanned) => "QR-код уже отсканирован другим телефоном.",
        (Lang::En, R::AlreadyScanned) => "Another phone already scanned this QR code.",
        (Lang::Kk, R::Declined) => "Кіру телефонда қабылданбады.",
        (Lang::Ru, R::Declined) => "Вход отклонён на телефоне.",
        (Lang::En, R::Declined) => "The login was declined on the phone.",
    }
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;background:#f3f6fa;color:#1d2b3a;margin:0}\
header{background:#0b5394;color:#fff;padding:14px 24px;font-weight:600}\
header a{color:#fff;margin-left:12px;font-weight:400}\
main{max-width:520px;margin:32px auto;background:#fff;border-radius:12px;padding:28px;\
box-shadow:0 2px 12px rgba(0,0,0,.08);text-align:center}\
#number{font-size:48px;font-weight:700;letter-spacing:4px;color:#0b5394}\
#refusal{color:#b00020;font-weight:600}#qr{width:240px;height:240px}";

fn page(lang: Lang, path: &str, title: &str, main: &str) -> String {
    let switcher: String = Lang::ALL
        .iter()
        .map(|l| format!("<a href=\"{path}?lang={}\">{}</a>", l.tag(), l.native_name()))
        .collect();
    format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title>\
         <style>{STYLE}</style></head><body><header>eGov · Qoltanba{switcher}</header><main>{main}</main>\
         </body></html>",
        lang.tag(),
        escape(title)
    )
}

async fn login(Query(query): Query<LangQuery>, headers: HeaderMap) -> Html<String> {
    let lang = Lang::negotiate(query.lang.as_deref(), &headers);
    let t = texts(lang);
    let refusals: Vec<String> = LoginRefusal::ALL
        .iter()
        .map(|r| format!("\"{}\":\"{}\"", r.name(), refusal_text(lang, *r)))
        .collect();
    let texts_json = format!(
        "{{\"waiting\":\"{}\",\"scanned\":\"{}\",\"approved\":\"{}\",\"expired\":\"{}\",\"refused\":\"{}\",\
         \"rate_limited\":\"{}\",\"reasons\":{{{}}}}}",
        t.waiting,
        t.scanned,
        t.approved,
        t.expired,
        t.refused,
        t.rate_limited,
        refusals.join(",")
    );
    let main = format!(
        "<h1>{title}</h1><p>{instruction}</p><img id=\"qr\" alt=\"QR\"><p>{number}: <span id=\"number\"></span></p>\
         <p id=\"status\"></p><p id=\"refusal\"></p><button id=\"restart\" hidden>{restart}</button>\
         <script>const T={texts_json};const LANG=\"{tag}\";{SCRIPT}</script>",
        title = escape(t.title),
        instruction = escape(t.instruction),
        number = escape(t.number),
        restart = escape(t.restart),
        tag = lang.tag(),
    );
    Html(page(lang, LOGIN_PAGE, t.title, &main))
}

async fn welcome(
    State(state): State<LoginState>,
    Query(query): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let lang = Lang::negotiate(query.lang.as_deref(), &headers);
    let t = texts(lang);
    let citizen = read_cookie(&headers, LOGIN_SESSION_COOKIE).and_then(|key| state.service.citizen(&key));
    let Some(citizen) = citizen else {
        return Redirect::to(&format!("{LOGIN_PAGE}?lang={}", lang.tag())).into_response();
    };
    let main = format!(
        "<h1>{}</h1><p id=\"citizen-name\">{}</p><p>{}: <span id=\"citizen-iin\">{}</span></p>",
        escape(t.welcome),
        escape(&citizen.name),
        escape(t.iin),
        escape(&citizen.iin)
    );
    Html(page(lang, WELCOME_PAGE, t.welcome, &main)).into_response()
}

/// The page's behaviour: start a session, refresh the QR image every frame interval, wait for the status
/// with server-sent events (long-poll if they fail), complete the login when approved.
const SCRIPT: &str = r#"
const $=id=>document.getElementById(id);let timer=null,source=null,sid=null;
const key=()=>(crypto.randomUUID?crypto.randomUUID():String(Math.random()).slice(2)+Date.now());
function stop(){if(timer){clearInterval(timer);timer=null}if(source){source.close();source=null}}
function fail(text){stop();$('status').textContent=T.refused;$('refusal').textContent=text;$('qr').hidden=true;$('restart').hidden=false}
async function complete(){const r=await fetch('/v1/login/sessions/'+sid+'/completion',{method:'POST',headers:{'Idempotency-Key':key()}});
if(r.ok){location.href='/login/welcome?lang='+LANG;return}const e=await r.json().catch(()=>({}));fail(T.reasons[e.refusal]||T.refused)}
function show(s){if(s.status==='waiting'||s.status==='scanned'){$('status').textContent=T[s.status];if(s.status==='scanned'){if(timer){clearInterval(timer);timer=null}$('qr').hidden=true}return s.status}
stop();if(s.status==='approved'){$('status').textContent=T.approved;complete()}else if(s.status==='expired'){$('status').textContent=T.expired;$('qr').hidden=true;$('restart').hidden=false}
else{fail(T.reasons[s.reason]||T.refused)}return null}
async function longPoll(seen){while(seen){const r=await fetch('/v1/login/sessions/'+sid+'?waitMs=25000&seen='+seen);if(!r.ok)return;seen=show(await r.json())}}
async function begin(){stop();$('refusal').textContent='';$('restart').hidden=true;
const r=await fetch('/v1/login/sessions',{method:'POST',headers:{'Idempotency-Key':key()}});const s=await r.json();
if(!r.ok){fail(s.code==='rate_limited'?T.rate_limited:T.refused);return}
sid=s.session_id;$('number').textContent=s.number;const qr=$('qr');qr.hidden=false;
const frame=()=>{qr.src='/v1/login/sessions/'+sid+'/qr?at='+Date.now()};frame();timer=setInterval(frame,s.frame_interval_ms);
$('status').textContent=T.waiting;
if(window.EventSource){source=new EventSource('/v1/login/sessions/'+sid+'/events');
source.addEventListener('login_status',e=>show(JSON.parse(e.data)));source.onerror=()=>{if(source){source.close();source=null;longPoll('waiting')}}}
else{longPoll('waiting')}}
$('restart').onclick=begin;begin();
"#;
