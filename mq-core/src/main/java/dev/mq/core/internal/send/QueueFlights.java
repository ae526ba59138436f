package dev.mq.core.internal.send;

import dev.mq.core.MessageQueue;

/** Whoever lets one flight at a time go to a queue, and must hear when that flight has its outcome. */
interface QueueFlights {

    /** The flight to {@code queue} (a send alone or a {@link BatchSend}) has its outcome. */
    void flightDone(MessageQueue queue);
}
