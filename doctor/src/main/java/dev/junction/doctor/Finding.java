package dev.junction.doctor;

/**
 * One thing the doctor found.
 *
 * @param severity how bad it is
 * @param check    which check found it: {@code topology}, {@code lag}, {@code connection-budget},
 *                 {@code foreign-keys}, {@code sessions} or {@code statements}
 * @param message  what was found, with the numbers and the fix; never a password or a bind value
 */
record Finding(Severity severity, String check, String message) {
}
