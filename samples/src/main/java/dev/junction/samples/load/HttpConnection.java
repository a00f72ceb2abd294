package dev.junction.samples.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One virtual user's keep-alive HTTP/1.1 connection, as a browser keeps one: blocking, with a deadline per request.
 * The load generator uses it instead of {@link java.net.http.HttpClient}, which costs several times the CPU per
 * request; on a 2-core machine that would leave less for the service under test. It speaks just enough HTTP for the
 * sample service: requests with a form body, answers with {@code Content-Length} or without a body. Not thread-safe:
 * one per virtual user.
 */
final class HttpConnection implements AutoCloseable {
    /** A request that ran past its deadline; the connection is closed, the next request opens a new one. */
    static final class TimeoutException extends IOException {
        private static final long serialVersionUID = 1L;

        TimeoutException() {
            super("request timed out", null);
        }
    }

    /** An answer: status, the consistency header if any, and the body as text. */
    record Response(int status, @Nullable String token, String body) {
    }

    private final InetSocketAddress address;
    private final String host;
    private @Nullable Socket socket;
    private final byte[] buffer = new byte[16 * 1024];
    private int start;
    private int end;

    HttpConnection(InetSocketAddress address) {
        this.address = address;
        this.host = address.getHostString() + ":" + address.getPort();
    }

    /**
     * Sends one request and reads its answer before {@code deadlineNanos} ({@link System#nanoTime()}).
     *
     * @param token sent as the {@code Junction-Consistency} header when not null
     * @param form  an {@code application/x-www-form-urlencoded} body, or null for none
     * @throws TimeoutException past the deadline
     * @throws IOException      on any transport error; the connection is closed
     */
    Response send(String method, String path, @Nullable String token, @Nullable String form, long deadlineNanos)
            throws IOException {
        try {
            Socket s = socket;
            if (s == null || s.isClosed()) {
                s = new Socket();
                s.setTcpNoDelay(true);
                s.connect(address, remainingMillis(deadlineNanos));
                socket = s;
                start = 0;
                end = 0;
            }
            byte[] body = form == null ? new byte[0] : form.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder(160).append(method).append(' ').append(path)
                    .append(" HTTP/1.1\r\nHost: ").append(host).append("\r\n");
            if (token != null) {
                head.append("Junction-Consistency: ").append(token).append("\r\n");
            }
            if (form != null) {
                head.append("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ").append(body.length)
                        .append("\r\n");
            }
            head.append("\r\n");
            OutputStream out = s.getOutputStream();
            byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
            byte[] message = Arrays.copyOf(headBytes, headBytes.length + body.length);
            System.arraycopy(body, 0, message, headBytes.length, body.length);
            out.write(message);
            out.flush();
            return read(s, method, deadlineNanos);
        } catch (SocketTimeoutException e) {
            close();
            throw new TimeoutException();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private Response read(Socket s, String method, long deadline) throws IOException {
        String statusLine = line(s, deadline);
        if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
            throw new IOException("not an HTTP/1.1 status line: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        String token = null;
        boolean close = false;
        for (String header = line(s, deadline); !header.isEmpty(); header = line(s, deadline)) {
            int colon = header.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "junction-consistency" -> token = value;
                case "connection" -> close = value.equalsIgnoreCase("close");
                case "transfer-encoding" -> throw new IOException("chunked answers are not supported");
                default -> {
                }
            }
        }
        String body = "";
        if (length > 0 && !method.equals("HEAD")) {
            if (length > 64L * 1024 * 1024) {
                throw new IOException("answer too large: " + length + " bytes");
            }
            byte[] bytes = new byte[(int) length];
            int at = 0;
            while (at < length) {
                if (start == end) {
                    fill(s, deadline);
                }
                int n = Math.min(end - start, (int) length - at);
                System.arraycopy(buffer, start, bytes, at, n);
                start += n;
                at += n;
            }
            body = new String(bytes, StandardCharsets.UTF_8);
        }
        if (close) {
            close();
        }
        return new Response(status, token, body);
    }

    private String line(Socket s, long deadline) throws IOException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            if (start == end) {
                fill(s, deadline);
            }
            byte b = buffer[start++];
            if (b == '\n') {
                int n = line.length();
                return n > 0 && line.charAt(n - 1) == '\r' ? line.substring(0, n - 1) : line.toString();
            }
            line.append((char) (b & 0xff));
            if (line.length() > 64 * 1024) {
                throw new IOException("header line too long");
            }
        }
    }

    private void fill(Socket s, long deadline) throws IOException {
        s.setSoTimeout(remainingMillis(deadline));
        InputStream in = s.getInputStream();
        int n = in.read(buffer, 0, buffer.length);
        if (n < 0) {
            throw new IOException("the server closed the connection");
        }
        start = 0;
        end = n;
    }

    private static int remainingMillis(long deadline) throws TimeoutException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new TimeoutException();
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    @Override
    public void close() {
        Socket s = socket;
        socket = null;
        start = 0;
        end = 0;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closing a broken connection: nothing to do
            }
        }
    }
}
