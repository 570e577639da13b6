# Haven: English messages. Every id here must also exist in es/main.ftl (a test checks).
# Crisis wording follows safe-messaging guidance: hopeful, concrete, no detail of methods.

## Page frame
skip-to-content = Skip to main content
crisis-link = Need help now?
nav-label = Main
nav-home = My Haven
signed-in-as = Signed in as { $name }
sign-in = Sign in
sign-out = Sign out
language-switch-label = Language
footer-emergency = In an emergency, call { $number }.
footer-line = { $name }:
footer-more-help = More ways to get help now

## Crisis page
crisis-title = Need help now?
crisis-intro = You are not alone, and you don't have to wait for your next appointment. Free, confidential help is available right now.
crisis-emergency-heading = If you or someone else is in immediate danger
crisis-emergency-text = Call emergency services now, or go to the nearest emergency room.
crisis-call = Call { $number }
crisis-text = Text { $number }
crisis-chat = Chat online
crisis-lines-heading = Talk to someone now
crisis-meanwhile-heading = While you reach out
crisis-meanwhile-stay = If you can, stay with someone you trust, or ask them to come to you.
crisis-meanwhile-reach = Tell a friend, family member or your clinician how you are feeling.
crisis-hope = Feelings this strong can pass, and help works. Reaching out is a sign of strength.

## Landing page
home-title = Welcome to Haven
home-no-practice = This Haven server has no practice set up yet. The operator creates one with “haven admin create-practice”.
home-practice = Online care from { $practice }.
home-intro = See your clinician by video or phone from home, message your care team, and manage your appointments, privately.
home-go-dashboard = Go to My Haven
home-not-for-emergencies-heading = Haven is not an emergency service
home-not-for-emergencies = If you are in danger, call { $number } now.

## Sign-in
sign-in-failed = That email and password don't match an account here. Check them and try again.
field-email = Email
field-password = Password

## Dashboard
dashboard-title = My Haven
welcome-user = Welcome, { $name }
dashboard-account-heading = Your account
dashboard-roles = Your role
dashboard-next-heading = Your next visit
dashboard-no-next = No visit booked yet.
role-admin = Practice administrator
role-clinician = Clinician
role-patient = Patient

## Error pages
error-not-found-title = Page not found
error-not-found-detail = There is no page at this address. Check the link, or start again from the home page.
error-forbidden-title = Not allowed
error-forbidden-detail = Your account can't open this page. If you think it should, ask your practice's administrator.
error-unauthorized-title = Please sign in
error-unauthorized-detail = Sign in first; then try again.
error-cross-origin-title = Request refused
error-cross-origin-detail = This request didn't come from Haven's own pages, so it was refused to protect your account. Go back, reload the page and try again.
error-unavailable-title = Haven is briefly unavailable
error-unavailable-detail = We can't reach Haven's records right now. Nothing you entered was saved twice or lost halfway; please try again in a minute.
error-unavailable-crisis = If you need help now, the crisis page still works:
error-internal-title = Something went wrong
error-internal-detail = Haven couldn't finish this request. Nothing was changed. Please try again; if it keeps happening, tell your practice.
error-back-home = Back to the home page
error-too-many-title = Too many attempts
error-too-many-detail = To keep accounts safe, signing in from here is paused for a few minutes. Please wait and try again. If you need help now, the crisis page is always open.
error-bad-request-title = We couldn’t read that
error-bad-request-detail = Something in what was sent didn't come through as expected. Go back, check the form and try again.
error-bad-encoding-detail = The form held characters that could not be read, so nothing was saved. Go back, type the text again (or paste it as plain text) and send it.
error-too-large-title = That is too large
error-too-large-detail = What was sent is larger than Haven accepts. Go back and try something smaller.

## Forms
field-name = Name
field-role = Role
field-language = Language for emails and pages
field-new-password = New password
field-confirm-password = Type the new password again
password-hint = At least 8 characters. A few unrelated words make a strong, memorable password.
password-mismatch = The two passwords are not the same. Type them again.
password-too-short = The password needs at least 8 characters.
password-too-long = The password can be at most 128 characters.
password-breached = That password appears in lists of passwords stolen from other websites, so it isn't safe. Choose another.

## Inviting people
invite-title = Invite someone
invite-intro = They will get an email with a link to create their account. The link works once, for 7 days.
invite-send = Send invitation
invite-sent = Invitation sent to { $email }.
invite-error-name = Enter the person's name (up to 120 characters).
text-error-one-line = Write this on one line, without line breaks or special control characters.
profile-error-name = Enter your name (up to 120 characters).
invite-error-email = Enter a valid email address, like name@example.org.
invite-error-exists = Someone with this email already has an account here.
accept-title = Create your account
accept-heading = Welcome, { $name }
accept-intro = { $practice } invited you to Haven as: { $role }. Choose a password to create your account.
accept-your-email = You will sign in with { $email }.
accept-submit = Create my account
accept-error-exists = An account with this email already exists. Sign in instead, or reset your password.
link-invalid-title = This link no longer works
link-invalid-detail = It may have been used already or have expired. Ask your practice for a new invitation, or request a new password-reset link.

## Password reset
reset-link = Forgot your password?
reset-title = Reset your password
reset-intro = Enter the email you sign in with. We'll send a link to choose a new password.
reset-send = Send reset link
reset-sent = If an account uses that email, we've sent it a link. It works once, for 30 minutes. Check your spam folder if it doesn't arrive.
reset-choose-title = Choose a new password
reset-save = Save new password
reset-done = Your password was changed and you were signed out everywhere. Sign in with your new password.

## Dashboard for staff
dashboard-patients-heading = Your patients
dashboard-no-patients = No patients yet. Invite a patient to start.

## Emails (plain text; no clinical detail)
mail-invite-subject = { $practice } invited you to Haven
mail-invite-body =
    Hello { $name },

    { $practice } invited you to Haven, where you can see your clinician online and keep in touch between visits.

    Create your account here (the link works once, for 7 days):
    { $link }

    If you weren't expecting this, you can ignore this email.

    In an emergency, call 911. To talk to someone now, call or text 988.
mail-reset-subject = Reset your Haven password
mail-reset-body =
    Someone asked to reset the password of the Haven account that uses this email.

    Choose a new password here (the link works once, for 30 minutes):
    { $link }

    If it wasn't you, ignore this email: your password stays the same.

## Two-step sign-in
nav-security = Security
mfa-code-title = Enter your sign-in code
mfa-code-label = 6-digit code or recovery code
mfa-code-hint = Open your authenticator app and type the code it shows for Haven. Lost your phone? Type one of your recovery codes.
mfa-code-wrong = That code didn't work. Codes change every 30 seconds and each works once; type the newest one.
mfa-verify = Continue
mfa-setup-title = Set up two-step sign-in
mfa-setup-intro = Your account needs a second step when you sign in: a code from an app on your phone. It protects your patients' records even if your password leaks.
mfa-setup-step-app = Install an authenticator app on your phone if you don't have one (for example Google Authenticator, Microsoft Authenticator, or any app that supports "TOTP").
mfa-setup-step-scan = In the app, add an account and scan this code.
mfa-setup-manual = Can't scan it? Type this key instead:
mfa-setup-step-code = Type the 6-digit code the app now shows.
mfa-setup-finish = Turn on two-step sign-in
mfa-qr-label = QR code for your authenticator app
mfa-recovery-title = Your recovery codes
mfa-recovery-intro = Two-step sign-in is on. If you lose your phone, each of these codes lets you sign in once. Print them or write them down and keep them somewhere safe; they won't be shown again.
mfa-recovery-continue = Continue to My Haven
security-title = Sign-in and security
security-totp-heading = Two-step sign-in
security-totp-on = Two-step sign-in is on.
security-recovery-left = { $count ->
    [one] One recovery code left.
   *[other] Recovery codes left: { $count }.
}
security-totp-off = Two-step sign-in is off. Turning it on means that someone who learns your password still can't open your account.
security-confirm-password = Your current password
security-totp-enable = Turn on two-step sign-in
security-totp-replace = Set up a new authenticator app
security-wrong-password = That password isn't right. Nothing was changed.
security-password-heading = Password
security-password-save = Change password
security-password-changed = Your password was changed. You were signed out on every other device.
security-sessions-heading = Where you're signed in
security-session-started = Signed in
security-session-active = Last active
security-session-this = This browser
security-sign-out-everywhere = Sign out everywhere
signed-out-everywhere = You were signed out on every device.
idle-title = Are you still there?
idle-text = To protect your privacy, you'll be signed out in about two minutes unless you choose to stay.
idle-stay = Stay signed in
signed-out-idle = You were signed out after a while without activity, to protect your privacy. Sign in again to continue.

## Charts
chart-care-team = Care team
chart-no-care-team = Nobody yet
chart-notes-heading = Progress notes
chart-new-note = New note
chart-save-note = Save note
chart-no-notes = No notes yet.
chart-note-meta = { $author }, { $when }
note-error-empty = The note is empty. Write something before saving.
note-error-long = The note is longer than 20,000 characters. Shorten it or split it in two.
chart-denied-title = This chart isn't open to you
chart-denied-detail = You're not on this patient's care team. The attempt was recorded. If you should be on the team, ask the patient's clinician or your practice's administrator.
glass-heading = Emergency access
glass-explain = Only in an emergency, when the patient's safety depends on it. Access lasts one hour, every view is recorded, and your practice's administrators are told at once.
glass-reason = Why you need access now
glass-submit = Open the chart for one hour
glass-error-reason = Give a reason of at least 10 characters.
glass-active = Emergency access until { $until }. Every view is recorded.
mail-glass-subject = Emergency access to a patient record
mail-glass-body =
    { $name } used emergency ("break-glass") access to a patient's record in Haven just now.

    Please review it in the audit trail:
    { $link }

## Audit trail
nav-access = Who saw my record
nav-audit = Audit trail
access-title = Who accessed my record
access-intro = Every time someone opens or changes your record, or tries to without permission, Haven writes it down. This is that list, newest first.
access-none = Nobody has accessed your record yet.
access-question = Something here you don't recognise? Tell your clinician or the practice.
access-you = You
access-staff = { $name } ({ $role })
access-someone-else = Someone outside your care team
access-haven = Haven (automatic)
audit-title = Audit trail
audit-filters = Filter the audit trail
audit-filter-person = Who acted (email)
audit-filter-patient = About patient (email)
audit-filter-action = What
audit-any-action = Anything
audit-filter-from = From (date)
audit-filter-until = Until (date)
audit-search = Show
audit-results = Entries, newest first (at most 200)
audit-export-heading = Export as CSV
audit-export = Download CSV
audit-error-person = No account uses that email address.
audit-error-date = Use dates like 2026-03-08.
audit-error-reversed = The "from" date is after the "until" date. Swap them to see the entries in between.
audit-pages = Pages of the audit trail
audit-older = Older entries
audit-newest = Newest entries
audit-chain-ok = The audit trail is intact: all { $count } entries check out.
audit-chain-broken = The audit trail has been tampered with: entry { $entry } was changed, removed or inserted. Contact your security officer.
audit-nobody = (unknown)
audit-col-when = When (UTC)
audit-col-who = Who
audit-col-patient = Patient
audit-col-what = What
audit-col-source = From
audit-col-outcome = Result
audit-action-sign-in = Signed in
audit-action-sign-in-failed = Sign-in failed
audit-action-sign-out = Signed out
audit-action-read = Viewed
audit-action-create = Created
audit-action-update = Changed
audit-action-export = Exported
audit-action-permission-change = Changed permissions
audit-action-access-denied = Was refused access
audit-action-break-glass = Emergency access
audit-category-account = account
audit-category-demographics = personal details
audit-category-clinical = clinical record
audit-category-messages = messages
audit-category-appointments = appointments
audit-category-audit-trail = audit trail
audit-outcome-success = Done
audit-outcome-denied = Refused
audit-outcome-failure = Failed

## People (admins)
nav-people = People
people-title = People in your practice
people-caption = Everyone with an account in this practice
people-status = Status
people-actions = Actions
people-active = Active
people-deactivated = Deactivated
people-totp = Uses two-step sign-in
people-designee = May use emergency access
people-deactivate = Deactivate { $name }
people-deactivate-confirm = { $name } will be signed out everywhere at once and can't sign in until reactivated. Nothing is deleted.
people-deactivate-yes = Yes, deactivate { $name }
people-reactivate = Reactivate { $name }
people-allow-glass = Allow { $name } emergency access
invitations-heading = Invitations waiting
invitations-none = No invitations are waiting to be accepted.
invitations-valid-until = Link valid until { $when }
invitations-expired = Link expired on { $when }
invitations-resend = Send { $name }'s invitation again
invitations-revoke = Withdraw { $name }'s invitation
invitations-revoke-confirm = The link sent to { $email } will stop working. You can invite them again later.
invitations-revoke-yes = Yes, withdraw it
invitations-resent = Sent again to { $email }, with a new link valid for a week. The old link no longer works.
invitations-revoked = The invitation is withdrawn; its link no longer works.
people-care-team = Care team
people-no-clinician = No clinician yet: the front desk reads their messages.
people-care-team-add-label = Add a clinician to { $name }'s care team
people-care-team-add = Add
people-care-team-remove = Take { $clinician } off { $name }'s care team

## Self-registration
register-title = Create a patient account
register-intro = Ask { $practice } for an account to see a clinician online. We'll email you a link to finish; it works for 24 hours.
register-submit = Email me the link
register-sent = Check your email for the link to finish your account. If you already have an account, the email says how to sign in instead.
mail-exists-subject = You already have a Haven account
mail-exists-body =
    Someone asked to create a Haven account with this email address, but you already have one.

    Sign in with your password, or choose a new one here:
    { $link }

    If it wasn't you, you can ignore this email.

## Passkeys
passkey-heading = Or use a passkey
passkey-sign-in = Sign in with a passkey
passkeys-heading = Passkeys
passkeys-intro = A passkey lets you sign in with your phone or computer's lock (fingerprint, face or PIN) instead of a password and code. It can't be phished or guessed.
passkeys-none = You have no passkeys yet.
passkeys-added = Your passkey was added. Next time, choose "Sign in with a passkey".
passkey-add = Add a passkey
passkey-col-added = Added (UTC)
passkey-col-used = Last used (UTC)
passkey-never-used = Not used yet
passkey-error-expired = That took too long. Try again.
passkey-error-failed = The passkey didn't work. Try again, or sign in with your password.

## Profile
nav-profile = Profile
profile-title = Your profile
profile-saved = Saved.
profile-email-hint = You sign in with this address, and Haven's emails go to it. If you change it, we'll tell the old address.
profile-password = Current password (needed to change the email)
profile-save = Save
profile-language = To change the language of Haven's pages and emails, use the language buttons at the top of any page.
profile-error-password = To change your email, type your current password correctly. Nothing was changed.
mail-email-changed-subject = Your Haven sign-in email was changed
mail-email-changed-body =
    The email address you use to sign in to Haven was just changed, and this address will no longer get Haven's emails.

    If you didn't do this, contact your practice right away.
passkeys-removed = The passkey was removed.
passkey-remove-heading = Remove a passkey
passkey-which = Which passkey
passkey-added-on = Added { $when }
passkey-remove = Remove passkey

## Scheduling: days and modalities
weekday-1 = Monday
weekday-2 = Tuesday
weekday-3 = Wednesday
weekday-4 = Thursday
weekday-5 = Friday
weekday-6 = Saturday
weekday-7 = Sunday
modality-video = Video
modality-phone = Phone (audio only)
modality-in-person = In person
nav-appointments = Appointments
nav-schedule = Schedule
nav-practice-scheduling = Scheduling settings

## Finding a clinician and booking
book-title = Book an appointment
book-intro = Choose where you will be during the visit and how you would like to meet. Times are shown in your time zone.
book-where = Where will you be during the visit?
book-where-patient = Where will the patient be during the visit?
book-where-any = Anywhere (in-person visits only)
book-where-choose = Choose a state or province
book-where-hint = For video and phone visits, clinicians may only see you where they are licensed.
book-modality = How would you like to meet?
book-any = Any
book-language = Language
book-languages = Languages
book-specialty = Specialty
book-specialties = Specialties
book-modalities = Visit types offered
book-time-zone = Show times in
book-search = Find clinicians
book-results = Clinicians
book-no-results = No clinician matches these choices. Try another place, language or way of meeting.
book-soonest = Soonest opening
book-no-openings = No open times right now
book-see-times = See times with { $name }
book-with = Book with { $name }
book-visit-type = Kind of visit
book-visit-type-label = { $name } ({ $minutes } min)
book-update = Update times
book-range = { $from } to { $to }
book-times-in = Times are shown in { $zone }.
book-no-times = No open times in these days. Try later dates or join the waitlist.
book-this-time = Book this time
book-weeks = Weeks
book-earlier = Earlier
book-later = Later
book-next-open = Next open times
book-alternatives = Here are the next open times.
book-waitlist-heading = Want something sooner?
book-waitlist-intro = We can email you if an earlier time opens with this clinician.
book-waitlist-join = Tell me if an earlier time opens
book-waitlist-done = You're on the waitlist. We'll email you if an earlier time opens.

## Booking refusals
booking-error-past = That time has already passed. Please choose a time in the future.
booking-error-too-soon = That time is too soon to book online. Please choose a later time, or call the practice.
booking-error-too-far = That time is too far ahead to book yet. Please choose an earlier date.
booking-error-outside-hours = The clinician doesn't see people at that time. Please choose one of the open times.
booking-error-time-off = The clinician is away at that time. Please choose another time.
booking-error-taken = Sorry, that time was just taken.
booking-error-off-grid = That time is not one of the open times. Choose one of the times offered.
booking-error-unlicensed = This clinician can't see you by video or phone where you'll be. Choose another clinician, or an in-person visit.
booking-error-where = Please choose where you will be during the visit.
booking-error-modality = This kind of visit can't be held that way. Please choose video, phone or in person as offered.
booking-error-time-zone = We don't know that time zone. Please choose one from the list.
booking-error-no-time = Please choose a time.
booking-error-unknown-clinician = We couldn't find that clinician.
booking-error-unknown-visit-type = That kind of visit isn't offered any more. Please choose another.
booking-error-unknown-patient = Please choose a patient of this practice.
booking-error-not-accepting = This clinician isn't taking new bookings online right now.
booking-error-not-changeable = This appointment can't be changed any more.
booking-error-changed = Someone changed this appointment a moment ago. Please look at it again.
booking-error-no-show-early = A visit can only be marked as a no-show once it has started.
booking-error-status = Please choose what to mark the visit as.
api-error-range = Please ask for between 1 and 31 days from a valid time.
api-error-time = That is not a time Haven can read. Send it as RFC 3339, such as 2026-12-08T17:00:00Z, with seconds from 00 to 59.
api-error-language = Choose a language Haven offers: en or es.
api-error-modality = Choose how the visit happens: video, phone or in_person.

## Appointments
appts-title = Your appointments
appts-book-new = Book an appointment
appts-upcoming = Upcoming
appts-past = Past and cancelled
appts-none-upcoming = You have no upcoming appointments.
appts-none-past = Nothing here yet.
appt-title = Appointment
appt-when = When
appt-with = With
appt-patient = Patient
appt-visit = Kind of visit
appt-how = How
appt-address = Address
appt-status = Status
appt-status-booked = Booked
appt-status-cancelled = Cancelled
appt-status-late-cancelled = Cancelled late
appt-status-no-show = Missed
appt-status-completed = Completed
appt-video-hint = This is a video visit. Join from this page a few minutes before it starts.
appt-phone-hint = This is a phone visit. Your clinician will call you at the time booked.
appt-change-heading = Change or cancel
appt-reschedule = Choose another time
appt-cancel = Cancel this appointment
appt-cancel-confirm = Cancel your visit with { $name } on { $when }? The time goes back to others who are waiting.
appt-cancel-yes = Yes, cancel it
appt-late-warning = This visit is less than { $hours } hours away, so cancelling now counts as a late cancellation.
appt-mark-heading = Mark the visit
appt-mark-as = Mark as
appt-mark = Save
appt-back = Back to appointments
appt-done-booked = Your appointment is booked. We've emailed you the details.
appt-done-moved = Your appointment has moved. We've emailed you the new time.
appt-done-booked-staff = The appointment is booked. We've emailed { $name } the details.
appt-done-moved-staff = The appointment has moved. We've emailed { $name } the new time.
appt-done-cancelled = The appointment is cancelled.
appt-done-updated = The appointment is updated.
appt-how-video = It is a video visit: join from the link below a few minutes before.
appt-how-phone = It is a phone visit: { $clinician } will call you.
appt-how-in-person = It is in person at { $address }.
appt-calendar-summary = Appointment with { $clinician }
appt-calendar-cancelled = This appointment is cancelled. Book another time from Haven.
resched-title = Choose another time
resched-now = Your appointment with { $clinician } is on { $when }.
resched-move = Move to this time
resched-keep = Keep the current time

## Staff scheduling
schedule-title = Schedule
schedule-book-for = Book for a patient
schedule-settings = My scheduling settings
schedule-whose = Calendar of
schedule-everyone = Everyone
schedule-date = Date
schedule-show = Show
schedule-nav = Calendar pages
schedule-day = Day
schedule-week = Week
schedule-nothing = Nothing booked.
schedule-time-off = Time off
schedule-blocked = Blocked
schedule-busy = Busy
schedule-block-heading = Block time
schedule-from = From
schedule-to = To
schedule-block-label = Note (optional, seen by staff only)
schedule-block = Block this time
schedule-blocked-done = The time is blocked.
schedule-error-block = Please give a date and a start time before the end time, within one day.
series-title = Book for a patient
series-patient = Patient
series-choose = Choose a patient
series-first-date = First date
series-time = Time ({ $zone })
series-repeat = Repeat
series-once = Once
series-weekly = Every week
series-biweekly = Every other week
series-count = How many visits
series-check = Check the times
series-check-heading = The times, checked
series-free = free
series-conflict-booked = Another visit is booked at this time.
series-book-free = { $count ->
    [one] Book the free time
   *[other] Book the { $count } free times
}
series-error-repeat = Please choose how often the visit repeats.
series-error-count = Please book between 1 and 52 visits.
series-error-none-free = None of these times is free. Try another day or time.
series-error-changed = One of the times was just taken. Here they are, checked again.

## Clinician settings
settings-title = Scheduling settings
settings-title-for = Scheduling settings: { $name }
settings-saved = Saved.
settings-profile = What patients see
settings-credentials = Credentials (for example LCSW, PhD)
settings-bio = A few words about you
settings-comma-hint = Separate several with commas.
settings-licenses = Licensed in
settings-licenses-hint = State or province codes, separated by commas, for example US-CA, US-NY.
settings-time-zone = Your time zone
settings-buffer = Minutes kept free between visits
settings-notice = Minimum notice for online booking (hours)
settings-ahead = How many days ahead patients may book
settings-accepting = Patients may book me online
settings-save = Save
settings-hours = Weekly hours
settings-hours-hint = In your own time zone ({ $zone }). Leave a day empty if you don't work then.
settings-save-hours = Save hours
settings-dates = Different hours on a date
settings-whole-day-off = The whole day off
settings-save-date = Save this date
settings-day-off = { $date }: day off
settings-visit-types = Kinds of visit
settings-visit-name = Name (for example Therapy)
settings-visit-name-es = Name in Spanish (for example Terapia)
settings-bio-es = The same words in Spanish
settings-es-hint = Shown to people reading Haven in Spanish. Leave it empty and they see the English.
settings-visit-minutes = Length in minutes
settings-location = Office, for in-person visits
settings-no-location = None
settings-add-visit-type = Add this kind of visit
settings-retire = Stop offering
settings-retire-label = Stop offering { $name }
settings-feed = Calendar feed
settings-feed-intro = A private address your calendar app can subscribe to. It shows times only, never patients' names. Anyone with the address can see those times, so keep it private.
settings-feed-create = Create a feed address
settings-feed-replace = Replace the address
settings-feed-revoke = Turn the feed off
settings-feed-created = Here is your feed address. It is shown only now: copy it into your calendar app.
settings-feed-revoked = The feed is turned off; the old address no longer works.
settings-error-licenses = Please write licences as state or province codes like US-CA, separated by commas.
settings-error-number = Please check the numbers: one of them is outside what Haven allows.
settings-error-profile = Please choose at least one language, and keep the credentials and the bio short.
settings-error-profile-first = Please save your profile first.
settings-error-hours = Please give each day a start time before its end time.
settings-error-date = Please choose a date.
settings-error-visit-type = Please give the visit a name, a length of 5 to 480 minutes and at least one way of meeting; in-person visits need an office.
feed-event-summary = Haven visit ({ $how })
feed-name = Haven visits

## Practice scheduling settings
practice-title = Scheduling settings for the practice
practice-time-zone = The practice's time zone
practice-late-hours = Late cancellation window (hours before the visit)
practice-late-policy = Your late cancellation policy, in your words
practice-late-policy-hint = Shown to patients who cancel inside the window. Leave empty for Haven's wording.
practice-reminders = Reminders (hours before the visit)
practice-reminders-hint = Up to four, separated by commas, for example 24, 1.
practice-error-reminders = Please give up to four reminder times in hours, separated by commas, and keep the policy under 500 characters.
practice-locations = Offices
practice-no-locations = No offices yet.
practice-location-name = Name
practice-location-address = Address
practice-location-access = Accessibility (step-free entrance, parking, …)
practice-add-location = Add this office
practice-error-location = Please give the office a name and an address.

## Appointment emails (no clinical detail: when, with whom, how to get there)
mail-appt-booked-subject = Your appointment is booked
mail-appt-booked-body =
    Your appointment with { $clinician } is booked for { $when }.
    { $how }

    See, move or cancel it here:
    { $link }
mail-appt-series-body =
    { $count } appointments with { $clinician } are booked. The first is on { $when }.
    { $how }

    See them here:
    { $link }
mail-appt-moved-subject = Your appointment has moved
mail-appt-moved-body =
    Your appointment with { $clinician } is now on { $when }.
    { $how }

    See it here:
    { $link }
mail-appt-cancelled-subject = Your appointment is cancelled
mail-appt-cancelled-body =
    Your appointment with { $clinician } on { $when } is cancelled.

    You can book another time here:
    { $link }
mail-appt-reminder-subject = Reminder: your appointment on { $when }
mail-appt-reminder-body =
    This is a reminder of your appointment with { $clinician } on { $when }.
    { $how }

    { $link }
mail-waitlist-subject = An earlier time has opened
mail-waitlist-body =
    An earlier time has opened with { $clinician }. Times go quickly; if you'd like it, book here:
    { $link }
profile-time-zone-heading = Time zone
profile-time-zone = Show times in
profile-time-zone-practice = The practice's time zone
profile-time-zone-hint = Appointment times on every page and in emails use this zone.
profile-time-zone-save = Save time zone

## Secure messaging
nav-messages = Messages
messages-title = Secure messages
messages-none = You have no conversations yet.
messages-no-care-team = No clinician yet: the front desk answers
messages-unread = { $count } unread
messages-conversation = Conversation
messages-empty = No messages yet. Write the first one below.
messages-your-care-team = Your care team
messages-automatic = automatic reply
messages-compose = Write a message
messages-expectation = Your care team usually replies within { $hours } hours on working days.
messages-expectation-front-desk = You have no clinician assigned yet, so the practice's front desk reads your messages. They usually reply within { $hours } hours on working days.
messages-not-watched = This inbox isn't watched around the clock. If you are in crisis, call or text 988, or call { $number } in an emergency.
messages-your-message = Your message
messages-file = Attach a file (optional)
messages-file-hint = A PDF, PNG or JPEG, up to { $mb } MB. Photos are cleaned of location data before they are stored.
messages-skip-to-compose = Skip to the message box
messages-ctrl-enter = Ctrl+Enter (or ⌘+Enter) sends.
messages-file-link = Attachment
messages-send = Send securely
messages-sending = Sending…
messages-sent = Sent.
messages-failed = Your message was not sent. It is still in the box: please try again.
messages-offline = Connection lost. Your message will be sent when the connection is back.
messages-new = New message from { $name }.
messages-read = Read by { $names }
messages-read-by = Read by { $names }
messages-you = You
message-error-empty = Please write a message (or attach a file).
message-error-long = That message is too long. Please keep it under 4000 characters, or attach a document.
message-error-client-id = The page was out of date. Please send your message again.
message-error-too-many = You've sent a lot of messages in a short time. Please wait a minute and try again; your text is still here.
message-error-file-type = That file can't be sent. Please attach a PDF, PNG or JPEG.
message-error-file-large = That file is larger than { $mb } MB, so nothing was sent. Your text is still here: attach a smaller file, or send the text on its own.
message-error-file-broken = That picture couldn't be read. Please try another file.
mail-message-subject = You have a new secure message
mail-message-body =
    You have a new secure message in Haven. For your privacy, it isn't included in this email.

    Sign in to read it:
    { $link }
practice-messaging = Messaging
practice-reply-hours = Usual reply time, in hours (shown to patients when they write)
practice-front-desk = The front desk (admins) takes part in patients' conversations
settings-away = Automatic reply outside your office hours
settings-away-hint = Sent once a day to patients who write outside your weekly hours. Leave empty for none.
settings-save-away = Save the automatic reply
dashboard-unread = Secure messages ({ $count } unread)

## Video and phone visits
audit-category-visits = telehealth visits
visit-join-button = Join the visit
visit-join-hint = You can come in up to an hour early and wait in the waiting room.
visit-check-title = Check your camera and microphone
visit-check-intro = Before the visit, let's make sure you can see and hear each other. Nothing here is recorded.
visit-check-devices = Your devices
visit-check-preview = Your camera
visit-check-mic-level = Microphone level (speak to see it move)
visit-check-speaker = Play a test sound
visit-check-again = Check again
visit-check-results = Results
visit-check-checking = Checking…
visit-check-camera-ok = Camera: working.
visit-check-camera-missing = Camera: none found. You can still have the visit by audio.
visit-check-camera-denied = Camera: the browser was not allowed to use it.
visit-check-mic-ok = Microphone: working.
visit-check-mic-missing = Microphone: none found. Connect a headset or use a phone.
visit-check-mic-denied = Microphone: the browser was not allowed to use it.
visit-check-network-ok = Connection to Haven: { $ms } ms.
visit-check-network-failed = Connection to Haven: it didn't answer. Check your internet connection.
visit-check-turn-ok = Connection for the call: working, even through firewalls.
visit-check-turn-failed = Connection for the call: the relay server could not be reached. The call may still work; if not, you can use audio or chat.
visit-check-turn-none = Connection for the call: no relay server is set up; calls work on most networks.
visit-check-help-denied = To allow the camera and microphone, select the camera or lock icon in the address bar, choose Allow, then select "Check again".
visit-check-help-missing = No camera or microphone was found. If one is connected, close other apps that may be using it, then select "Check again".
visit-check-audio-only = You can continue: the visit will be by audio only.
visit-check-continue = Continue
visit-safety-title = Before your visit
visit-safety-for = Your visit with { $name }
visit-safety-why = Please confirm where you are and how to reach you. If the call drops or you need help, your clinician will use these details.
visit-safety-address = Where are you right now? (address)
visit-safety-address-hint = Street, number and town, or a description someone could find you by.
visit-safety-region = State or province you are in
visit-safety-region-pick = Choose…
visit-safety-phone = A phone number to call you back on
visit-safety-phone-hint = For example +1 312 555 0101.
visit-safety-contact = Emergency contact
visit-safety-contact-name = Their name
visit-safety-contact-phone = Their phone number
visit-safety-continue = Continue to the waiting room
visit-errors-heading = Please check these
visit-error-address = Enter where you are (at least 5 characters).
visit-error-region = Choose the state or province you are in.
visit-error-phone = Enter a phone number with 7 to 15 digits.
visit-error-contact-name = Enter your emergency contact's name.
visit-error-contact-phone = Enter your emergency contact's phone number (7 to 15 digits).
visit-error-consent = Tick the box to agree to telehealth care, or ask your clinician about an in-person visit.
visit-error-signature = Type your full name to sign.
visit-error-closed = This visit's waiting room is not open now. It opens an hour before the visit.
visit-error-rating = Choose one of the answers.
visit-consent-heading = Consent to telehealth
visit-consent-1 = Telehealth visits happen by video or phone instead of in person. Your clinician follows the same privacy rules as in the office; the call goes directly between your device and theirs and is not recorded.
visit-consent-2 = Technology can fail. If the call drops, your clinician will call you back on the number you give here.
visit-consent-3 = At the start of each visit you will confirm where you are, so that help can be sent if there is an emergency.
visit-consent-4 = You can stop a telehealth visit at any time and ask for an in-person visit instead.
visit-consent-version = Consent version { $version }
visit-consent-agree = I have read this and agree to receive care by telehealth.
visit-consent-signature = Type your full name to sign
visit-room-title = Your visit
visit-room-title-clinician = Visit
visit-room-with = Visit with { $name }
visit-connecting = Connecting…
visit-needs-js = The video call needs JavaScript. Turn it on, or ask for a phone visit.
visit-waiting-heading = Waiting room
visit-waiting-text = { $name } knows you're here and will let you in.
visit-waiting-calm = You can keep this page open. There is nothing else you need to do.
visit-lobby-heading = Waiting room
visit-lobby-empty = No one is waiting yet.
visit-licence-warning = The patient says they are somewhere your licences don't cover. Check before admitting.
visit-admit = Admit
visit-note-label = Note to the waiting room
visit-note-send = Send note
visit-phone-heading = Phone visit
visit-phone-call = Call the patient on
visit-emergency-heading = Patient disconnected: emergency details
visit-emergency-location = Location
visit-emergency-phone = Call-back number
visit-emergency-contact = Emergency contact
visit-emergency-number = Local emergency number
visit-call-heading = Call
visit-remote-video = Video of { $name }
visit-remote-audio-only = { $name } is on audio only.
visit-local-video = Your own video
visit-controls = Call controls
visit-label-mute = Mute
visit-label-unmute = Unmute
visit-label-camera-off = Turn camera off
visit-label-camera-on = Turn camera on
visit-label-audio-only = Audio only
visit-label-video = Back to video
visit-label-share = Share screen
visit-label-stop-share = Stop sharing
visit-end = End visit
visit-end-confirm = End the visit for you and { $name }? The call closes on both sides.
visit-end-yes = Yes, end the visit
visit-end-no = Keep talking
visit-leave = Leave
visit-poor-connection = The connection is poor. Audio only may work better.
visit-switch-audio = Switch to audio only
visit-chat-heading = Chat
visit-chat-label = Message
visit-s-chat-new = New chat message from { $name }. Open "Chat" to read it.
visit-chat-unread = ({ $count } new)
visit-chat-send = Send
visit-s-waiting = Waiting for { $name } to let you in.
visit-s-admitted = You're in. Connecting the call…
visit-s-connecting = Connecting…
visit-s-connected = Connected.
visit-s-reconnecting = Connection lost. Reconnecting…
visit-s-peer-left = { $name } has left the call.
visit-s-peer-back = { $name } is back.
visit-s-ended = The visit has ended.
visit-s-audio-only-on = Audio only: no video is sent either way, to keep the call clear.
visit-s-audio-only-off = Video is back on.
visit-s-peer-audio-only = { $name } switched to audio only, so the call is audio only: no video is sent either way.
visit-s-peer-still-audio-only = Your camera is ready, but { $name } is on audio only, so the call stays audio only until they switch back.
visit-s-muted = Your microphone is muted.
visit-s-unmuted = Your microphone is on.
visit-s-camera-off = Your camera is off.
visit-s-camera-on = Your camera is on.
visit-s-share-on = You are sharing your screen.
visit-s-share-off = Screen sharing stopped.
visit-s-you = You
visit-s-turn-failed = The call could not reach the relay server. Try another network, or use chat or a phone call.
visit-s-connect-failed = The call could not connect. Keep this page open: it keeps trying. You can use the chat meanwhile.
visit-s-patient-waiting = { $name } has been waiting { $minutes } min.
visit-s-patient-arrived = { $name } is in the waiting room.
visit-s-patient-gone = { $name } has left the waiting room.
visit-s-no-camera = No camera: you are on audio only.
visit-s-note-sent = Note sent to the waiting room.
visit-s-error = Something went wrong. Reload the page to try again.
visit-s-error-not-checked-in = Please confirm your details first.
visit-s-error-not-a-party = This visit isn't yours.
visit-s-error-not-admitted = Please wait to be let in.
visit-done-title = Your visit has ended
visit-done-with = Thank you for your visit with { $name }.
visit-done-how = How it went
visit-done-length = Length
visit-done-minutes = { $minutes } min
visit-done-thanks = Thank you. Your answer helps the practice improve its visits.
visit-rate-question = How was the sound and picture quality of the call?
visit-rate-5 = Excellent
visit-rate-4 = Good
visit-rate-3 = Fair
visit-rate-2 = Poor
visit-rate-1 = Very poor
visit-rate-send = Send
visit-done-home = Back to the start page
visit-done-book-next = Book your next visit
visit-used-video = Video
visit-used-audio-only = Audio only
visit-used-mixed = Video and audio only
visit-used-phone = Phone
visit-used-none = The call did not connect
dashboard-waiting-heading = Your waiting room
dashboard-waiting-row = { $name }, waiting { $minutes } min
dashboard-visits-heading = Today's video and phone visits
book-photo-of = Photo of { $name }
settings-photo = Photo
settings-photo-file = Photo (PNG or JPEG)
settings-photo-hint = Optional. Patients see it when choosing a clinician. Haven makes a small copy without the camera's data or location.
settings-photo-save = Save photo
settings-photo-remove = Remove photo
settings-error-photo-large = That file is larger than 5 MB. Choose a smaller photo.
settings-error-photo-type = Choose a PNG or JPEG photo.
settings-error-photo-broken = That photo could not be read. Try saving it again as PNG or JPEG.

## Measures: check-ins between visits
checkin-about = { $count } questions · about { $minutes } minutes. You can save and come back.
checkin-minutes = about { $minutes } minutes
checkin-english-only = Este cuestionario todavía no tiene una traducción publicada al español, así que se muestra en inglés.
checkin-saved = Your answers so far are saved. Come back to finish any time before the check-in closes.
checkin-errors-heading = A few questions still need an answer
checkin-error-missing = Answer question { $number }.
checkin-error-invalid = Choose one of the answers for question { $number }.
checkin-only-if-yes = Only if you answered yes to question { $number }.
checkin-optional = You may skip this question.
checkin-submit = Send my answers
checkin-save = Save and finish later
checkin-done-title = Thank you
checkin-done-text = Your answers are with { $name }, who will go over them with you.
checkin-done-home = Back to your start page
checkin-risk-title = Thank you for telling us
checkin-risk-intro = Some of your answers tell us things are hard right now. You don't have to face this alone.
checkin-risk-next = { $name } and your care team will be told today and will reach out to you.
checkin-risk-now-heading = Talk to someone now
checkin-risk-message = Send a message to your care team
crisis-emergency-short = If you are in danger right now, call { $number }.
dashboard-checkins-heading = Check-ins to answer
dashboard-check-in = { $name } from { $clinician }
dashboard-signals-heading = Needs a look today
dashboard-signal-reviewed = Mark as reviewed
signal-phq9-item9 = PHQ-9: thoughts of self-harm (question 9)
signal-cssrs-high = Suicide screen: high risk
signal-cssrs-moderate = Suicide screen: moderate risk
signal-cssrs-low = Suicide screen: low risk
measures-heading = Measures
measures-none = No questionnaires answered yet.
measures-latest = latest { $score }
measures-trend-label = { $name } scores over time. The table below lists them.
measures-table-caption = { $name } scores
measures-col-date = Date
measures-col-score = Score
measures-col-band = Severity
measures-col-change = Change since the first
measures-change-baseline = Baseline
measures-change-improved = Reliably better
measures-change-deteriorated = Reliably worse
measures-change-same = No reliable change
measures-risk-high = High risk
measures-risk-moderate = Moderate risk
measures-risk-low = Low risk
measures-risk-none = No risk indicated
measures-assign = Send a questionnaire
measures-instrument = Questionnaire
measures-when = When
measures-once = Once, now
measures-weekly = On a schedule
measures-weeks = Every how many weeks
measures-weekday = On
measures-hour = At (hour, 0–23, the patient's time)
measures-assign-button = Send
measures-error-instrument = Choose one of the questionnaires in the list.
measures-error-schedule = Choose every 1 to 12 weeks, a day, and an hour from 0 to 23.
measures-legend-lower = Higher is more severe; shading marks the severity bands. Dashed line: the first score. Large green points: reliably better than the first; large red points: reliably worse.
measures-legend-higher = Higher is better; shading marks the bands. Dashed line: the first score. Large green points: reliably better than the first; large red points: reliably worse.
dashboard-signal-new = New: a patient's answers need a look today.
checkin-risk-next-team = Your care team will be told today and will reach out to you.
checkin-done-text-team = Your answers are with your care team, who will go over them with you. You can close this page.
mail-checkin-subject = A short check-in from your care team
mail-checkin-body =
    { $clinician } has asked you to answer a short check-in. It takes about { $minutes } minutes.

    Answer it here:
    { $link }

    The link is for you only. It works until you send your answers, or until { $until }.

    If you are in crisis, call or text 988, or call 911 in an emergency.
mail-checkin-reminder-subject = Reminder: your check-in is still open
mail-checkin-reminder-body =
    A short check-in from { $clinician } is still waiting for you. It takes about { $minutes } minutes.

    Answer it here:
    { $link }

    It closes on { $until }.

    If you are in crisis, call or text 988, or call 911 in an emergency.
practice-measures = Questionnaires between visits
practice-measures-show = Patients see their own results over time
practice-measures-sign-in = Check-in links in email ask patients to sign in (instead of opening the questionnaire by themselves)
practice-measures-reliable = A reliable change on the PHQ-9 is
practice-measures-reliable-6 = 6 points or more (NHS Talking Therapies)
practice-measures-reliable-5 = 5 points or more
measures-error-reliable = Choose 5 or 6 points for a reliable PHQ-9 change.
results-title = Your check-in results
results-none = You haven't answered any check-ins yet. When you do, you'll see how you're doing over time here.
results-in-visits = Your care team goes over your check-in results with you in your visits.
results-improved = Your score has improved a lot since you started.
results-worse = Your score is higher than when you started. It's worth talking about with your care team.
results-same = Your score is about the same as when you started.
results-first = This is your first score. Over time you'll see how it changes.
results-lower-better = Lower is better.
results-higher-better = Higher is better.
results-chart-label = Your { $name } scores over time. The table below lists them.
results-table-caption = Your scores: { $name }
results-talk = These numbers are one way of seeing how you've been. Your care team looks at them with you.
visit-measure-heading = Questionnaires
visit-measure-send = Send to { $name }
visit-measure-result = { $name }: { $score }
visit-measure-signal = Needs a look today: see the crisis steps.
visit-measure-arrived = { $name } sent you a questionnaire
visit-measure-arrived-hint = You can answer it while you talk. Your answers go straight to your clinician.
visit-s-measure-sent = Sent. It's on { $name }'s screen now.
outcomes-title = Outcomes of care
outcomes-intro = Of the patients with a first score and at least one later one, how many got reliably better, recovered, stayed about the same or got reliably worse, by their latest score. Compare video, phone and in-person care with your practice's own figures.
outcomes-privacy = Groups of fewer than { $count } patients are not shown, so nobody can be recognised.
outcomes-none = No patient has a first and a later score yet.
outcomes-caption = { $name }: change from the first score to the latest
outcomes-everyone = All patients
outcomes-mode-video = Video visits only
outcomes-mode-phone = Phone visits only
outcomes-mode-in-person = In-person visits only
outcomes-mode-mixed = Mixed (more than one way)
outcomes-fewer = fewer than { $count }
outcomes-hidden = Not shown: too few patients
outcomes-col-group = Group
outcomes-col-patients = Patients
outcomes-col-improved = Reliably better
outcomes-col-recovered = Recovered
outcomes-col-unchanged = No reliable change
outcomes-col-deteriorated = Reliably worse
dashboard-review-heading = Check-in scores to review
checkin-closed-title = This check-in link no longer works
checkin-closed-text = It was answered already, or the check-in has closed. If your care team still wants your answers, you'll find the check-in on your start page when you sign in.
