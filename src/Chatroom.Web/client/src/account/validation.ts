// Checks made before a form goes to the server, with the server's limits (docs/accounts.md): they save a round trip
// and say which field is wrong. The server checks everything again and its answer wins.

export const minPasswordLength = 10;
export const maxPasswordLength = 128;
const maxNameLength = 32;
const userNamePattern = /^[\p{L}\p{N}_.-]{3,32}$/u;
const emailPattern = /^[^\s@<>(),;:"\\]+@[^\s@<>(),;:"\\]+\.[^\s@<>(),;:"\\]+$/;
const controlPattern = /[\p{Cc}\p{Cf}]/u;

export type FieldErrors = Record<string, string>;

export interface SignUpValues {
  userName: string;
  displayName: string;
  email: string;
  password: string;
  dateOfBirth: string;
}

export function userNameError(value: string): string | null {
  const name = value.trim().normalize('NFKC');
  if (!name) return 'Pick a user name.';
  if (!userNamePattern.test(name)) return 'User names are 3 to 32 letters, digits, "_", "-" or ".".';
  return null;
}

export function displayNameError(value: string): string | null {
  const name = value.trim();
  if ([...name].length > maxNameLength) return `Display names are at most ${maxNameLength} characters.`;
  if (controlPattern.test(name)) return 'Display names cannot hold control characters.';
  return null;
}

export function emailError(value: string): string | null {
  const email = value.trim();
  if (!email) return 'Enter your email address.';
  if (!emailPattern.test(email)) return 'Enter one email address, like ana@example.org.';
  return null;
}

export function passwordError(value: string): string | null {
  if (!value) return 'Choose a password.';
  if (value.length < minPasswordLength) return `Passwords are at least ${minPasswordLength} characters.`;
  if (value.length > maxPasswordLength) return `Passwords are at most ${maxPasswordLength} characters.`;
  return null;
}

/** `yyyy-mm-dd`, a real day, not in the future and not before 1900. */
export function dateOfBirthError(value: string, today: Date = new Date()): string | null {
  if (!value) return 'Enter your date of birth.';
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  if (!match || !date || date.getUTCDate() !== Number(match[3]) || date.getUTCMonth() !== Number(match[2]) - 1) return 'Enter a date like 2001-04-30.';
  if (date.getUTCFullYear() < 1900) return 'Enter a date after 1900.';
  if (date.getTime() > today.getTime()) return 'The date of birth cannot be in the future.';
  return null;
}

/** Every problem of the sign-up form, by field; empty when it can go to the server. */
export function validateSignUp(values: SignUpValues, today: Date = new Date()): FieldErrors {
  const errors: FieldErrors = {};
  const checks: [keyof SignUpValues, string | null][] = [
    ['userName', userNameError(values.userName)],
    ['displayName', displayNameError(values.displayName)],
    ['email', emailError(values.email)],
    ['password', passwordError(values.password)],
    ['dateOfBirth', dateOfBirthError(values.dateOfBirth, today)],
  ];
  for (const [field, error] of checks) if (error) errors[field] = error;
  return errors;
}

/**
 * Which field a server refusal belongs to (by its code), so the sentence shows next to it; null: above the form.
 * `fields` names the fields the form has (a code about a field the form lacks goes above it).
 */
export function fieldForCode(code: string, fields: readonly string[]): string | null {
  const byCode: Record<string, string[]> = {
    user_name_taken: ['userName'],
    invalid_user_name: ['userName'],
    invalid_name: ['displayName'],
    invalid_email: ['email'],
    weak_password: ['newPassword', 'password'],
    password_too_long: ['newPassword', 'password'],
    invalid_date_of_birth: ['dateOfBirth'],
    invalid_credentials: ['currentPassword', 'password'],
    invalid_password: ['currentPassword', 'password'],
    invalid_two_factor_code: ['code'],
    two_factor_code_reused: ['code'],
  };
  return byCode[code]?.find((f) => fields.includes(f)) ?? null;
}
