/**
 * Diagnostic severities, as named in the CLI contract and in configuration.
 * At the bottom layer because rules declare a default severity and the
 * service reports one: both take the type from here, not from each other.
 */
export type Severity = 'error' | 'warning' | 'info' | 'hint';
