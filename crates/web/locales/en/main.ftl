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
crisis-meanwhile-plan = If you have a safety plan, open it and follow its steps.
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
role-admin = Practice administrator
role-clinician = Clinician
role-patient = Patient

## Error pages
error-not-found-title = Page not found
error-not-found-detail = There is no page at this address. Check the link, or start again from the home page.
error-forbidden-title = Not allowed
error-forbidden-detail = Your account can't open this page. If you think it should, ask your practice's administrator.
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
error-too-large-title = That is too large
error-too-large-detail = What was sent is larger than Haven accepts. Go back and try something smaller.
