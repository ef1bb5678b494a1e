namespace Chatroom.Core.Errors;

/// <summary>Stable error codes shared by hub refusals (<c>code: sentence</c>) and problem+json <c>code</c>.</summary>
public static class ErrorCodes
{
    public const string InvalidRequest = "invalid_request";
    public const string EmptyText = "empty_text";
    public const string TextTooLong = "text_too_long";
    public const string InvalidRoomName = "invalid_room_name";
    public const string InvalidTopic = "invalid_topic";
    public const string UnknownRoom = "unknown_room";
    public const string RoomExists = "room_exists";
    public const string NotMember = "not_member";
    public const string InvalidName = "invalid_name";
    public const string InvalidClientMessageId = "invalid_client_message_id";

    /// <summary>An <c>Idempotency-Key</c> header (REST posting) that is empty, too long or not printable ASCII.</summary>
    public const string InvalidIdempotencyKey = "invalid_idempotency_key";

    /// <summary>A client message id or idempotency key already used for a message with a different text.</summary>
    public const string IdempotencyKeyReused = "idempotency_key_reused";
    public const string InvalidCursor = "invalid_cursor";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string InvalidPassword = "invalid_password";
    public const string AdminDisabled = "admin_disabled";
    public const string RateLimited = "rate_limited";
    public const string TooManyRooms = "too_many_rooms";
    public const string Muted = "muted";
    public const string Banned = "banned";
    public const string SlowMode = "slow_mode";
    public const string RoomLocked = "room_locked";

    /// <summary>A room's written rules longer than 4,000 characters.</summary>
    public const string RulesTooLong = "rules_too_long";

    /// <summary>An appeal about a message someone else wrote.</summary>
    public const string NotYourMessage = "not_your_message";

    /// <summary>An appeal about a message moderation neither hid nor muted or banned its author for.</summary>
    public const string NothingToAppeal = "nothing_to_appeal";

    /// <summary>A message is appealed once.</summary>
    public const string AppealExists = "appeal_exists";

    /// <summary>An appeal's reason longer than 1,000 characters.</summary>
    public const string ReasonTooLong = "reason_too_long";

    public const string PayloadTooLarge = "payload_too_large";
    public const string BackendUnavailable = "backend_unavailable";

    /// <summary>The embedded data folder's disk is full (SQLITE_FULL): nothing was stored; sends work again once space returns.</summary>
    public const string StorageFull = "storage_full";
    public const string NotFound = "not_found";
    public const string InvalidAgent = "invalid_agent";
    public const string AgentExists = "agent_exists";

    /// <summary>A hub frame that is not valid SignalR JSON (malformed, invalid UTF-8, nested too deep); the connection is closed.</summary>
    public const string InvalidFrame = "invalid_frame";

    /// <summary>Too many open hub connections from one client address.</summary>
    public const string TooManyConnections = "too_many_connections";

    /// <summary>Sign-in refused: unknown account or wrong password (the answer never says which).</summary>
    public const string InvalidCredentials = "invalid_credentials";

    /// <summary>Too many failed sign-ins; the account is locked for a while (Retry-After says how long).</summary>
    public const string AccountLocked = "account_locked";

    public const string AccountDisabled = "account_disabled";

    /// <summary>The account is banned; the sentence says until when.</summary>
    public const string AccountBanned = "account_banned";

    public const string EmailNotConfirmed = "email_not_confirmed";

    /// <summary>The user name, or one differing only by case, width or confusable letters, belongs to an account already.</summary>
    public const string UserNameTaken = "user_name_taken";

    public const string InvalidUserName = "invalid_user_name";
    public const string InvalidEmail = "invalid_email";
    public const string InvalidDateOfBirth = "invalid_date_of_birth";

    /// <summary>The password does not meet the policy (length, character classes).</summary>
    public const string WeakPassword = "weak_password";

    /// <summary>Longer than the cap; refused before hashing so long inputs cannot burn CPU.</summary>
    public const string PasswordTooLong = "password_too_long";

    /// <summary>An email confirmation or password reset token that is wrong, spent or expired.</summary>
    public const string InvalidToken = "invalid_token";

    /// <summary>The second-factor step's ticket is wrong or expired: sign in with the password again.</summary>
    public const string InvalidTwoFactorTicket = "invalid_two_factor_ticket";

    public const string InvalidTwoFactorCode = "invalid_two_factor_code";

    /// <summary>A TOTP code (or an older one) already used: codes are single-use.</summary>
    public const string TwoFactorCodeReused = "two_factor_code_reused";

    public const string TwoFactorNotEnabled = "two_factor_not_enabled";
    public const string TwoFactorAlreadyEnabled = "two_factor_already_enabled";

    /// <summary>Verify was called before an authenticator key was made (POST /api/account/2fa/authenticator).</summary>
    public const string AuthenticatorNotEnrolled = "authenticator_not_enrolled";

    public const string InvalidRefreshToken = "invalid_refresh_token";

    /// <summary>A spent refresh token came back: its whole family (session) is revoked.</summary>
    public const string RefreshTokenReused = "refresh_token_reused";

    /// <summary>A passkey answer that does not check out (unknown credential, bad signature, wrong account, unknown state).</summary>
    public const string PasskeyInvalid = "passkey_invalid";

    /// <summary>A passkey answer from a web origin the server does not serve.</summary>
    public const string PasskeyOrigin = "passkey_origin";

    /// <summary>A passkey ceremony's state used twice, or an authenticator counter that did not move forward.</summary>
    public const string PasskeyReplayed = "passkey_replayed";

    /// <summary>The passkey ceremony took longer than its options allow: ask for new options.</summary>
    public const string PasskeyExpired = "passkey_expired";

    /// <summary>Removing the admin role from the only admin account left.</summary>
    public const string LastAdmin = "last_admin";

    /// <summary>The request needs a registered account, not a guest or the configured admin.</summary>
    public const string AccountRequired = "account_required";

    /// <summary>Guest sign-in is off (<c>Chatroom:Auth:Guests</c> = <c>off</c>): sign in with an account.</summary>
    public const string GuestsDisabled = "guests_disabled";

    /// <summary>Guests may join and read but not send (<c>Chatroom:Auth:Guests</c> = <c>read-only</c>).</summary>
    public const string GuestsReadOnly = "guests_read_only";

    /// <summary>A staff account (moderator, admin) without a second factor asked for staff rights: enrol one first.</summary>
    public const string TwoFactorRequired = "two_factor_required";

    /// <summary>The account signed out everywhere or changed its password: its open connections are closed.</summary>
    public const string SignedOut = "signed_out";

    /// <summary>A minor's account waits for a guardian's consent (or was declined): it may read but not send.</summary>
    public const string GuardianConsentRequired = "guardian_consent_required";

    /// <summary>A minor changing their own date of birth: only an admin corrects it.</summary>
    public const string BirthDateLocked = "birth_date_locked";

    /// <summary>A guardian consent link that does not exist (wrong, or replaced by a newer request).</summary>
    public const string ConsentInvalid = "consent_invalid";

    /// <summary>A guardian consent link that was decided already: links are single use.</summary>
    public const string ConsentUsed = "consent_used";

    /// <summary>A guardian consent link past its lifetime: the minor asks again.</summary>
    public const string ConsentExpired = "consent_expired";

    /// <summary>A minor opened their own guardian consent link.</summary>
    public const string ConsentOwnAccount = "consent_own_account";

    /// <summary>A guardian deciding without a second factor enrolled (TOTP or a passkey).</summary>
    public const string GuardianSecondFactorRequired = "guardian_second_factor_required";

    /// <summary>A guardian account whose date of birth says it is not an adult.</summary>
    public const string GuardianNotAdult = "guardian_not_adult";

    /// <summary>A minor naming their own address as the guardian's.</summary>
    public const string GuardianEmailOwn = "guardian_email_own";

    /// <summary>Asking for a guardian on an account that needs none (an adult, or one already approved).</summary>
    public const string GuardianNotNeeded = "guardian_not_needed";

    /// <summary>Guardian agent settings out of range (threshold 0-1, windows and periods within their limits).</summary>
    public const string InvalidGuardianSettings = "invalid_guardian_settings";

    /// <summary>
    /// A direct conversation or invitation that cannot reach the person (they blocked the caller, or turned private
    /// messages off for them): worded so it does not say which.
    /// </summary>
    public const string RecipientUnavailable = "recipient_unavailable";

    /// <summary>The caller blocked the person they are writing to: unblock them first.</summary>
    public const string UserBlocked = "user_blocked";

    /// <summary>The recipient has not accepted the request yet and the sender left the most messages a waiting request holds.</summary>
    public const string RequestPending = "request_pending";

    /// <summary>The recipient declined the request; no new request to them for a while.</summary>
    public const string RequestDeclined = "request_declined";

    /// <summary>There is no request or invitation for the caller in that room.</summary>
    public const string NoRequest = "no_request";

    /// <summary>Only the room's owner may invite or remove members.</summary>
    public const string NotOwner = "not_owner";

    public const string InvalidUserId = "invalid_user_id";
    public const string InvalidVisibility = "invalid_visibility";
    public const string InvalidReason = "invalid_reason";

    /// <summary>A private room holds at most its configured number of members.</summary>
    public const string RoomFull = "room_full";

    /// <summary>Private messages are turned off for the caller's account (a guardian's restriction).</summary>
    public const string DirectMessagesOff = "direct_messages_off";

    /// <summary>A bot posting (or reading) a room outside its allow-list.</summary>
    public const string BotRoomNotAllowed = "bot_room_not_allowed";

    /// <summary>A bot doing what its scopes leave out (posting without <c>post</c>).</summary>
    public const string BotScopeMissing = "bot_scope_missing";

    /// <summary>A bot token that is wrong, rotated or deleted (the answer never says which).</summary>
    public const string InvalidBotToken = "invalid_bot_token";

    /// <summary>The bot was deleted or its token rotated: its open connections are closed and the old token refused.</summary>
    public const string BotRevoked = "bot_revoked";

    /// <summary>A redelivery to a disabled webhook (it answered 410 Gone, or an admin disabled it).</summary>
    public const string WebhookDisabled = "webhook_disabled";

    /// <summary>A program's post answering a chain of automated answers longer than <c>Chatroom:Integrations:MaxHops</c>: dropped.</summary>
    public const string LoopDetected = "loop_detected";
}
