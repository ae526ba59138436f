package dev.mq.core.internal.transport;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Turns a host name into addresses; may block (it runs on a lookup thread, never on an event loop). */
@FunctionalInterface
interface HostResolver {

    /** The JDK's resolver: hosts file, the system's name service, the JVM's DNS cache and its settings. */
    HostResolver SYSTEM = InetAddress::getAllByName;

    InetAddress[] resolve(String host) throws UnknownHostException;
}
