/** The main test portal signs its request notifications with this; tests verify them. */
export const webhookSecret = 'e2e-webhook-secret-0123456789abcdef-not-for-production';
