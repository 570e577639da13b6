//! The route table: every route Haven answers, with who may use it, and the layers around
//! them. The router is built from this table alone, so no route exists without a policy.

use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::Method;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{MethodRouter, get, post};
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;

use crate::access::{self, Access};
use crate::state::AppState;
use crate::{
    api, assets, booking, charts, error, error_pages, fhir, health, identity, live, measures, messages, metrics, pages, people, schedule, security,
    trail, visits,
};

/// Form posts are small; uploads (later) get their own, larger limit on their route.
const BODY_LIMIT: usize = 64 * 1024;

/// One row of the route table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteSpec {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
}

fn table() -> Vec<(RouteSpec, MethodRouter<AppState>)> {
    use Access::{Admin, Anyone, Appointment, Chart, PracticeClinician, PracticePerson, SignedIn, Staff, Thread, VisitParty};
    let row = |method, path, access, handler| (RouteSpec { method, path, access }, handler);
    vec![
        row("GET", "/", Anyone, get(pages::home::show)),
        row("GET", "/crisis", Anyone, get(pages::crisis::show)),
        row("POST", "/language", Anyone, post(pages::language::switch)),
        row("GET", "/sign-in", Anyone, get(identity::sign_in::form)),
        row("POST", "/sign-in", Anyone, post(identity::sign_in::submit)),
        row("POST", "/sign-out", Anyone, post(identity::sign_in::sign_out)),
        row("POST", "/session/keep-alive", SignedIn, post(identity::sign_in::keep_alive)),
        row("GET", "/ws", SignedIn, get(live::socket::upgrade)),
        row("GET", "/sign-in/code", Anyone, get(identity::mfa::code_form)),
        row("POST", "/sign-in/code", Anyone, post(identity::mfa::code_submit)),
        row("GET", "/sign-in/setup", Anyone, get(identity::mfa::setup_form)),
        row("POST", "/sign-in/setup", Anyone, post(identity::mfa::setup_submit)),
        row("POST", "/sign-in/passkey/start", Anyone, post(identity::passkeys::sign_in_start)),
        row("POST", "/sign-in/passkey/finish", Anyone, post(identity::passkeys::sign_in_finish)),
        row("GET", "/account/security", SignedIn, get(identity::account::show)),
        row("POST", "/account/passkeys/start", SignedIn, post(identity::passkeys::register_start)),
        row("POST", "/account/passkeys/finish", SignedIn, post(identity::passkeys::register_finish)),
        row("POST", "/account/passkeys/remove", SignedIn, post(identity::account::remove_passkey)),
        row("GET", "/account/profile", SignedIn, get(identity::profile::show)),
        row("POST", "/account/profile", SignedIn, post(identity::profile::save)),
        row("POST", "/account/time-zone", SignedIn, post(identity::profile::save_time_zone)),
        row("POST", "/account/security/totp", SignedIn, post(identity::account::start_totp)),
        row("POST", "/account/password", SignedIn, post(identity::account::change_password)),
        row("POST", "/account/sessions/end-all", SignedIn, post(identity::account::sign_out_everywhere)),
        row("GET", "/password-reset", Anyone, get(identity::reset::request_form)),
        row("POST", "/password-reset", Anyone, post(identity::reset::request)),
        row("GET", "/password-reset/{token}", Anyone, get(identity::reset::form)),
        row("POST", "/password-reset/{token}", Anyone, post(identity::reset::complete)),
        row("GET", "/register/{slug}", Anyone, get(people::register::form)),
        row("POST", "/register/{slug}", Anyone, post(people::register::submit)),
        row("GET", "/invitations/{token}", Anyone, get(people::accept::show)),
        row("POST", "/invitations/{token}", Anyone, post(people::accept::accept)),
        row("GET", "/home", SignedIn, get(pages::dashboard::show)),
        row("GET", "/patients/{id}", Chart, get(charts::view::show)),
        row("POST", "/patients/{id}/notes", Chart, post(charts::view::add_note)),
        row("POST", "/patients/{id}/break-glass", Chart, post(charts::break_glass::grant)),
        row("POST", "/patients/{id}/measures", Chart, post(charts::assign::assign)),
        row("GET", "/check-ins/{request}", SignedIn, get(measures::answer::show)),
        row("POST", "/check-ins/{request}", SignedIn, post(measures::answer::submit)),
        row("GET", "/results", SignedIn, get(measures::mine::show)),
        row("GET", "/outcomes", Staff, get(measures::outcomes::show)),
        row("GET", "/fhir/R4/Questionnaire", SignedIn, get(fhir::questionnaires)),
        row("GET", "/fhir/R4/Questionnaire/{questionnaire}", SignedIn, get(fhir::questionnaire)),
        row("GET", "/fhir/R4/QuestionnaireResponse", SignedIn, get(fhir::responses)),
        row("POST", "/fhir/R4/QuestionnaireResponse", SignedIn, post(fhir::post_response)),
        row("GET", "/fhir/R4/Observation", SignedIn, get(fhir::observations)),
        row("GET", "/c/{token}", Anyone, get(measures::answer::show_link)),
        row("POST", "/c/{token}", Anyone, post(measures::answer::submit_link)),
        row("POST", "/risk-signals/{signal}/review", Staff, post(measures::chart::review)),
        row("POST", "/check-in-results/{response}/review", Staff, post(measures::chart::review_result)),
        row("GET", "/account/access", SignedIn, get(trail::mine::show)),
        row("GET", "/admin/audit", Admin, get(trail::admin::show)),
        row("POST", "/admin/audit/export", Admin, post(trail::admin::export)),
        row("GET", "/admin/people", Admin, get(people::manage::list)),
        row("POST", "/admin/people/{id}/active", PracticePerson, post(people::manage::set_active)),
        row("POST", "/admin/people/{id}/break-glass", PracticePerson, post(people::manage::allow_break_glass)),
        row("POST", "/admin/people/{id}/care-team", PracticePerson, post(people::manage::care_team)),
        row("POST", "/admin/invitations/{invitation}/resend", Admin, post(people::manage::resend_invitation)),
        row("POST", "/admin/invitations/{invitation}/revoke", Admin, post(people::manage::revoke_invitation)),
        row("GET", "/people/invite", Staff, get(people::invite::form)),
        row("POST", "/people/invite", Staff, post(people::invite::submit)),
        row("GET", "/book", SignedIn, get(booking::find::show)),
        row("POST", "/book", SignedIn, post(booking::pick::book)),
        row("GET", "/book/{clinician}", PracticeClinician, get(booking::pick::show)),
        row("POST", "/book/{clinician}/waitlist", PracticeClinician, post(booking::pick::wait)),
        row("GET", "/appointments", SignedIn, get(booking::visits::list)),
        row("GET", "/appointments/{appointment}", Appointment, get(booking::visits::show)),
        row("GET", "/appointments/{appointment}/reschedule", Appointment, get(booking::visits::reschedule_form)),
        row("POST", "/appointments/{appointment}/reschedule", Appointment, post(booking::visits::reschedule)),
        row("POST", "/appointments/{appointment}/cancel", Appointment, post(booking::visits::cancel)),
        row("POST", "/appointments/{appointment}/status", Appointment, post(booking::visits::set_status)),
        row("GET", "/schedule", Staff, get(schedule::calendar::show)),
        row("POST", "/schedule/block", Staff, post(schedule::calendar::block)),
        row("GET", "/schedule/book", Staff, get(schedule::series::form)),
        row("POST", "/schedule/book", Staff, post(schedule::series::submit)),
        row("GET", "/schedule/settings", Staff, get(schedule::settings::show)),
        row("POST", "/schedule/settings/profile", Staff, post(schedule::settings::save_profile)),
        row("POST", "/schedule/settings/hours", Staff, post(schedule::settings::save_hours)),
        row("POST", "/schedule/settings/dates", Staff, post(schedule::settings::save_date)),
        row("POST", "/schedule/settings/visit-types", Staff, post(schedule::settings::add_visit_type)),
        row("POST", "/schedule/settings/visit-types/retire", Staff, post(schedule::settings::retire_visit_type)),
        row("POST", "/schedule/settings/feed", Staff, post(schedule::settings::feed)),
        row("POST", "/schedule/settings/away", Staff, post(schedule::settings::save_away)),
        row("POST", "/schedule/settings/photo", Staff, post(schedule::photo::upload)),
        row("POST", "/schedule/settings/photo/remove", Staff, post(schedule::photo::remove)),
        row("GET", "/clinicians/{clinician}/photo", PracticeClinician, get(schedule::photo::serve)),
        // The token in the path is the credential: calendar apps can't sign in.
        row("GET", "/calendar/{token}", Anyone, get(schedule::feed::serve)),
        row("GET", "/admin/scheduling", Admin, get(schedule::practice::show)),
        row("POST", "/admin/scheduling", Admin, post(schedule::practice::save)),
        row("POST", "/admin/scheduling/locations", Admin, post(schedule::practice::add_location)),
        row("POST", "/admin/messaging", Admin, post(messages::admin::save)),
        row("POST", "/admin/measures", Admin, post(measures::settings::save)),
        row("GET", "/api/openapi.json", Anyone, get(api::openapi)),
        row("GET", "/api/v1/clinicians", SignedIn, get(api::scheduling::clinicians)),
        row("GET", "/api/v1/clinicians/{clinician}/slots", PracticeClinician, get(api::scheduling::slots)),
        row("GET", "/api/v1/appointments", SignedIn, get(api::scheduling::list)),
        row("POST", "/api/v1/appointments", SignedIn, post(api::scheduling::book)),
        row("GET", "/api/v1/appointments/{appointment}", Appointment, get(api::scheduling::get_one)),
        row("POST", "/api/v1/appointments/{appointment}/reschedule", Appointment, post(api::scheduling::reschedule)),
        row("POST", "/api/v1/appointments/{appointment}/cancel", Appointment, post(api::scheduling::cancel)),
        row("GET", "/visits/{appointment}", VisitParty, get(visits::pages::start)),
        row("GET", "/visits/{appointment}/check", VisitParty, get(visits::pages::check)),
        row("GET", "/visits/{appointment}/safety", VisitParty, get(visits::pages::safety_form)),
        row("POST", "/visits/{appointment}/safety", VisitParty, post(visits::pages::safety_submit)),
        row("GET", "/visits/{appointment}/room", VisitParty, get(visits::pages::room)),
        row("POST", "/visits/{appointment}/measures", VisitParty, post(measures::visit::send)),
        row("GET", "/visits/{appointment}/done", VisitParty, get(visits::pages::done)),
        row("POST", "/visits/{appointment}/done", VisitParty, post(visits::pages::rate)),
        row("GET", "/messages", SignedIn, get(messages::pages::list)),
        row("GET", "/messages/{thread}", Thread, get(messages::pages::show)),
        // Uploads get a larger body limit than forms (see `upload_limit`).
        row("POST", "/messages/{thread}", Thread, post(messages::pages::send)),
        row("GET", "/messages/{thread}/files/{attachment}", Thread, get(messages::pages::download)),
        row("GET", "/static/{file}", Anyone, get(assets::serve)),
        row("GET", "/favicon.ico", Anyone, get(assets::favicon)),
        row("GET", "/healthz", Anyone, get(health::healthz)),
        row("GET", "/readyz", Anyone, get(health::readyz)),
        // Route counts and pool sizes, no personal data; restrict it at the proxy.
        row("GET", "/metrics", Anyone, get(metrics::public)),
    ]
}

/// Every route and its policy, for the authorization-matrix test and documentation.
#[must_use]
pub fn route_table() -> Vec<RouteSpec> {
    table().into_iter().map(|(spec, _)| spec).collect()
}

pub fn router(state: AppState) -> Router {
    let mut router = Router::new();
    let upload_limit = state.app.config.max_attachment_bytes + 64 * 1024;
    for (spec, mut handler) in table() {
        debug_assert!(spec.method.parse::<Method>().is_ok());
        if spec.method == "POST" && spec.path == "/messages/{thread}" {
            handler = handler.layer(DefaultBodyLimit::max(upload_limit));
        }
        if spec.method == "POST" && spec.path == "/schedule/settings/photo" {
            handler = handler.layer(DefaultBodyLimit::max(haven_app::booking::settings::MAX_PHOTO_UPLOAD + 64 * 1024));
        }
        let access = spec.access;
        let guarded = handler.route_layer(from_fn_with_state(state.clone(), move |s, r, n| access::enforce(access, s, r, n)));
        router = router.route(spec.path, guarded);
    }
    router
        .route_layer(from_fn(metrics::track))
        .fallback(error::not_found)
        // Outermost last: headers are set on everything, including error pages.
        .layer(from_fn_with_state(state.clone(), health::database_gate))
        .layer(from_fn_with_state(state.clone(), security::same_origin_writes))
        .layer(from_fn_with_state(state.clone(), error_pages::render))
        .layer(from_fn_with_state(state.clone(), security::headers))
        .layer(CompressionLayer::new())
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::SERVICE_UNAVAILABLE, Duration::from_secs(30)))
        .with_state(state)
}
