/**
 * The form field a solved ALTCHA payload travels in, with a plain form post
 * (the widget's own hidden input) and with Ory Elements' JSON alike. Hera's
 * edge reads it and strips it before the submission reaches Kratos.
 */
export const CAPTCHA_FIELD = "altcha";

/** Where the widget fetches a challenge (app/api/captcha/challenge). */
export const CAPTCHA_CHALLENGE_PATH = "/api/captcha/challenge";
