package dev.junction.testkit;

/** TEMPORARY STUB, replaced by the real proxy. */
public final class TcpProxy implements AutoCloseable {
    private TcpProxy() {
    }

    public static TcpProxy start(String host, int port) {
        throw new UnsupportedOperationException("stub");
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return 0;
    }

    @Override
    public void close() {
    }
}
