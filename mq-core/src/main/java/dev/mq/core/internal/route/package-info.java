/**
 * Internal: the route cache, its coalesced NameServer lookups and refreshes, and the per-topic views
 * of writable queues. Not API: may change in any release.
 */
@NullMarked
package dev.mq.core.internal.route;

import org.jspecify.annotations.NullMarked;
