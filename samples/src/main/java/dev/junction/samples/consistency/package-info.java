/**
 * Read-your-writes across requests and app instances: a small HTTP service that hands the commit's consistency token
 * to the client in the {@code Junction-Consistency} header and reads after the token the client sends back. See
 * {@code docs/consistency.md}.
 */
@NullMarked
package dev.junction.samples.consistency;

import org.jspecify.annotations.NullMarked;
