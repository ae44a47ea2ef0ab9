package dev.lattice.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy that a test can cut, like a network partition between a client and its
 * server. {@link #cut()} closes every live connection and stops listening, so new connections are
 * refused; {@link #restore()} listens again on the same port.
 *
 * <pre>{@code
 * try (TcpProxy proxy = TcpProxy.start("127.0.0.1", 5432)) {
 *     String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/test";
 *     ...
 *     proxy.cut();
 *     proxy.restore();
 * }
 * }</pre>
 */
public final class TcpProxy implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile ServerSocket listener;
    private volatile boolean closed;

    private final InetAddress bindAddress;

    private TcpProxy(String targetHost, int targetPort, InetAddress bindAddress, ServerSocket listener) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.bindAddress = bindAddress;
        this.listener = listener;
        this.port = listener.getLocalPort();
    }

    /** Starts forwarding a free loopback port to {@code targetHost:targetPort}. */
    public static TcpProxy start(String targetHost, int targetPort) {
        return start(targetHost, targetPort, InetAddress.getLoopbackAddress());
    }

    /**
     * Starts forwarding a free port on {@code bindAddress} to {@code targetHost:targetPort}: for tests
     * whose processes live in their own network namespaces and reach the host through a bridge.
     */
    public static TcpProxy start(String targetHost, int targetPort, InetAddress bindAddress) {
        TcpProxy proxy = new TcpProxy(targetHost, targetPort, bindAddress, bind(bindAddress, 0));
        proxy.acceptLoop(proxy.listener);
        return proxy;
    }

    /** The loopback port to connect to instead of the target. */
    public int port() {
        return port;
    }

    /** Connections accepted so far. */
    public int acceptedConnections() {
        return accepted.get();
    }

    /** Closes every live connection and refuses new ones until {@link #restore()}. */
    public synchronized void cut() {
        ServerSocket current = listener;
        listener = null;
        closeQuietly(current);
        sockets.forEach(TcpProxy::closeQuietly);
        sockets.clear();
    }

    /** Accepts connections again, on the same port. */
    public synchronized void restore() {
        if (listener != null || closed) {
            return;
        }
        listener = bind(bindAddress, port);
        acceptLoop(listener);
    }

    private static ServerSocket bind(InetAddress address, int port) {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address, port), 50);
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException("could not listen on " + address.getHostAddress() + ":" + port, e);
        }
    }

    private void acceptLoop(ServerSocket server) {
        Thread thread = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    accepted.incrementAndGet();
                    connect(client, server);
                } catch (IOException e) {
                    // the listener was closed by cut() or close()
                }
            }
        }, "tcp-proxy-accept-" + port);
        thread.setDaemon(true);
        thread.start();
    }

    private void connect(Socket client, ServerSocket server) {
        Socket upstream;
        try {
            upstream = new Socket(targetHost, targetPort);
        } catch (IOException e) {
            closeQuietly(client);
            return;
        }
        sockets.add(client);
        sockets.add(upstream);
        if (listener != server) {
            // cut() ran while this connection was being set up: it must not survive the cut
            closeQuietly(client);
            closeQuietly(upstream);
            return;
        }
        pump(client, upstream);
        pump(upstream, client);
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (SocketException e) {
                // closed by cut() or by the other side
            } catch (IOException e) {
                // same: the connection is over either way
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "tcp-proxy-pump-" + port);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception ignored) {
            // already closed
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        cut();
    }
}
