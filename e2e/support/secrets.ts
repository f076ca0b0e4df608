/**
 * The e2e server's admin password and session secret (playwright.config.ts passes them to `next start`,
 * which refuses the development defaults). Test-only values, not secrets.
 */
export const E2E_ADMIN_PASSWORD = "e2e-admin-password";
export const E2E_SESSION_SECRET = "e2e-session-secret-0123456789abcdef-0123456789";
