package dev.bertgen.presets.hub;

import dev.bertgen.presets.PresetException;
import dev.bertgen.presets.PresetLogging;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;

/**
 * HTTP for the hubs: requests with redirects followed by hand (the {@code Authorization} header is
 * dropped when a redirect leaves the host, as Python's requests and huggingface_hub drop it before a
 * CDN), and downloads that resume, check the size and hash the hub gives, show progress and land in
 * the cache atomically.
 *
 * <p>A download writes {@code <target>.incomplete} (kept when the connection breaks, so the next try
 * resumes it with a {@code Range} request), checks it, and renames it to {@code <target>}: a cache
 * file is complete or absent. A lock file the caller names keeps two processes from writing the same
 * partial file.
 */
public final class HubHttp {
  private static final Logger LOG = Logger.getLogger(PresetLogging.LOGGER_NAME);
  private static final int MAX_REDIRECTS = 10;
  private static final int BUFFER = 1 << 16;
  private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();
  public static final String USER_AGENT = "bertgen/" + version() + "; java/" + System.getProperty("java.version");

  /** A response that was not a success, with what is needed to explain it. */
  static final class StatusException extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;
    final URI uri;
    final transient HttpHeaders headers;
    final String body;

    StatusException(int status, URI uri, HttpHeaders headers, String body) {
      super("HTTP " + status + " from " + uri);
      this.status = status;
      this.uri = uri;
      this.headers = headers;
      this.body = body;
    }

    Optional<String> header(String name) {
      return headers.firstValue(name);
    }

    /** The server's own explanation, if it sent a short one. */
    String serverMessage() {
      String b = body == null ? "" : body.strip();
      if (b.isEmpty()) {
        return "";
      }
      return " (server says: " + (b.length() > 300 ? b.substring(0, 300) + "..." : b) + ")";
    }
  }

  /** The host could not be reached: no network, a wrong endpoint, a timeout. */
  static final class UnreachableException extends Exception {
    private static final long serialVersionUID = 1L;

    UnreachableException(URI uri, IOException cause) {
      super(describe(uri, cause), cause);
    }

    private static String describe(URI uri, IOException e) {
      String what;
      if (e instanceof ConnectException) {
        what = "connection refused";
      } else if (e instanceof UnknownHostException || e.getCause() instanceof UnknownHostException) {
        what = "unknown host " + uri.getHost();
      } else if (e instanceof HttpConnectTimeoutException) {
        what = "connection timed out";
      } else if (e instanceof HttpTimeoutException) {
        what = "no response in time";
      } else {
        what = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      }
      return uri + " could not be reached (" + what + ")";
    }
  }

  /** What a download must check. */
  record Expected(Long size, String algorithm, String digest, String digestFormat, String hashSource) {
    static Expected none() {
      return new Expected(null, null, null, null, null);
    }

    static Expected size(Long size) {
      return new Expected(size, null, null, null, null);
    }
  }

  /** A response whose status and headers were read (its body is not). */
  record Head(int status, URI uri, HttpHeaders headers) {
    Optional<String> header(String name) {
      return headers.firstValue(name);
    }
  }

  private final HubSettings settings;
  private final HttpClient client;

  public HubHttp(HubSettings settings) {
    this.settings = settings;
    this.client = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(settings.timeout())
        .version(HttpClient.Version.HTTP_1_1)
        .build();
  }

  HubSettings settings() {
    return settings;
  }

  /**
   * A HEAD request; relative redirects (same host) are followed, an absolute redirect to another
   * place is returned as it is, as huggingface_hub's metadata request does.
   */
  Head head(URI uri, Map<String, String> headers) throws StatusException, UnreachableException {
    URI current = uri;
    for (int i = 0; i <= MAX_REDIRECTS; i++) {
      HttpResponse<Void> r = send(request(current, headers).method("HEAD", HttpRequest.BodyPublishers.noBody())
          .build(), HttpResponse.BodyHandlers.discarding(), current);
      int s = r.statusCode();
      Optional<String> location = r.headers().firstValue("Location");
      if (s >= 300 && s < 400 && location.isPresent() && !URI.create(location.get()).isAbsolute()) {
        current = current.resolve(location.get());
        continue;
      }
      if (s >= 400) {
        throw new StatusException(s, current, r.headers(), null);
      }
      return new Head(s, current, r.headers());
    }
    throw new UnreachableException(uri, new IOException("more than " + MAX_REDIRECTS + " redirects"));
  }

  /** A GET whose body is text (JSON), redirects followed. */
  String getText(URI uri, Map<String, String> headers) throws StatusException, UnreachableException {
    Map<String, String> h = new LinkedHashMap<>(headers);
    URI current = uri;
    for (int i = 0; i <= MAX_REDIRECTS; i++) {
      HttpResponse<String> r = send(request(current, h).GET().build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8), current);
      int s = r.statusCode();
      Optional<String> location = r.headers().firstValue("Location");
      if (s >= 300 && s < 400 && location.isPresent()) {
        current = redirect(current, location.get(), h);
        continue;
      }
      if (s >= 400) {
        throw new StatusException(s, current, r.headers(), r.body());
      }
      return r.body();
    }
    throw new UnreachableException(uri, new IOException("more than " + MAX_REDIRECTS + " redirects"));
  }

  /**
   * Downloads {@code uri} into {@code target}, resuming {@code target.incomplete} if an earlier try
   * left one, and checking the size and digest of {@code expected}.
   *
   * @param lockFile the file locked while downloading (created if absent, never deleted)
   * @param label what is downloaded, for progress and messages
   * @param onHeaders sees the final response headers before the body is read (Kaggle sends its MD5
   *     there) and may return a refined expectation; may be {@code null}
   * @throws StatusException for an error status
   * @throws UnreachableException when the host cannot be reached
   * @throws PresetException when the transfer breaks (the partial file is kept to resume), or the
   *     size or digest is wrong (the partial file is deleted)
   */
  void download(URI uri, Map<String, String> headers, Path target, Path lockFile, Expected expected, String label,
      java.util.function.BiFunction<HttpHeaders, Expected, Expected> onHeaders)
      throws StatusException, UnreachableException {
    Path partial = target.resolveSibling(target.getFileName() + ".incomplete");
    try {
      Files.createDirectories(target.getParent());
      Files.createDirectories(lockFile.getParent());
    } catch (IOException e) {
      throw new PresetException(null, "cannot create the cache folder " + target.getParent() + ": " + e, e);
    }
    ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(lockFile.toAbsolutePath().normalize(), k -> new ReentrantLock());
    jvmLock.lock();
    try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock ignored = lockChannel.lock()) {
      if (Files.isRegularFile(target)) {
        return; // another process finished it while we waited
      }
      transfer(uri, headers, target, partial, expected, label, onHeaders);
    } catch (OverlappingFileLockException e) {
      throw new PresetException(null, "cannot lock " + lockFile + ": " + e, e);
    } catch (IOException e) {
      throw new PresetException(null, "cannot write the cache file " + partial + ": " + e, e);
    } finally {
      jvmLock.unlock();
    }
  }

  private void transfer(URI uri, Map<String, String> headers, Path target, Path partial, Expected expected,
      String label, java.util.function.BiFunction<HttpHeaders, Expected, Expected> onHeaders)
      throws IOException, StatusException, UnreachableException {
    Map<String, String> h = new LinkedHashMap<>(headers);
    long have = Files.isRegularFile(partial) ? Files.size(partial) : 0;
    if (expected.size() != null && have > expected.size()) {
      Files.delete(partial);
      have = 0;
    }
    URI current = uri;
    HttpResponse<InputStream> r = null;
    for (int i = 0; i <= MAX_REDIRECTS + 1; i++) {
      HttpRequest.Builder b = request(current, h).GET();
      if (have > 0) {
        b.header("Range", "bytes=" + have + "-");
      }
      r = send(b.build(), HttpResponse.BodyHandlers.ofInputStream(), current);
      int s = r.statusCode();
      Optional<String> location = r.headers().firstValue("Location");
      if (s >= 300 && s < 400 && location.isPresent()) {
        r.body().close();
        current = redirect(current, location.get(), h);
        continue;
      }
      if (s == 416 && have > 0) {
        // the partial file is complete or longer than the file: start again
        r.body().close();
        Files.deleteIfExists(partial);
        have = 0;
        continue;
      }
      if (s >= 400) {
        String body = readSome(r.body());
        throw new StatusException(s, current, r.headers(), body);
      }
      break;
    }
    if (r == null || r.statusCode() >= 300) {
      throw new UnreachableException(uri, new IOException("too many redirects"));
    }
    Expected exp = onHeaders == null ? expected : onHeaders.apply(r.headers(), expected);
    long start = 0;
    if (r.statusCode() == 206) {
      start = contentRangeStart(r.headers()).orElse(-1L);
      if (start != have) {
        r.body().close();
        Files.deleteIfExists(partial);
        // the server answered another range than asked; fetch the whole file
        transfer(uri, headers, target, partial, expected, label, onHeaders);
        return;
      }
    } else if (have > 0) {
      URI at = current;
      LOG.fine(() -> at + " ignored the Range request; downloading " + label + " from the start");
    }
    Long total = exp.size();
    if (total == null) {
      total = r.statusCode() == 206 ? contentRangeTotal(r.headers()).orElse(null)
          : r.headers().firstValueAsLong("Content-Length").isPresent()
              ? r.headers().firstValueAsLong("Content-Length").getAsLong() : null;
    }
    MessageDigest digest = exp.algorithm() == null ? null : newDigest(exp, total);
    if (digest != null && start > 0) {
      try (InputStream in = Files.newInputStream(partial)) {
        byte[] buf = new byte[BUFFER];
        for (int n; (n = in.read(buf)) > 0; ) {
          digest.update(buf, 0, n);
        }
      }
    }
    if (start > 0) {
      long s0 = start;
      LOG.info(() -> "resuming " + label + " at byte " + s0);
    }
    DownloadProgress progress = new DownloadProgress(settings, label, total, start);
    long written = start;
    try (InputStream in = r.body();
        OutputStream out = Files.newOutputStream(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            start > 0 ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
      byte[] buf = new byte[BUFFER];
      for (int n; (n = in.read(buf)) > 0; ) {
        out.write(buf, 0, n);
        if (digest != null) {
          digest.update(buf, 0, n);
        }
        written += n;
        progress.advance(written);
      }
    } catch (IOException e) {
      progress.interrupted();
      if (e instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
        throw e;
      }
      long got = written;
      throw new PresetException(null, "the download of " + label + " from " + current + " broke off after "
          + got + (total == null ? "" : " of " + total) + " bytes (" + e.getMessage() + "); the part received is "
          + "kept in " + partial + " and the next try resumes it", e);
    }
    progress.finished(written);
    if (total != null && written != total) {
      if (written > total) {
        Files.deleteIfExists(partial);
      }
      throw new PresetException(null, "the download of " + label + " from " + current + " has " + written
          + " bytes but the hub announced " + total + (written > total ? "; the file was deleted: try again"
              : "; the part received is kept in " + partial + " and the next try resumes it"));
    }
    if (digest != null) {
      String actual = exp.digestFormat().equals("base64")
          ? Base64.getEncoder().encodeToString(digest.digest())
          : HexFormat.of().formatHex(digest.digest());
      if (!actual.equalsIgnoreCase(exp.digest())) {
        Files.deleteIfExists(partial);
        throw new PresetException(null, "the download of " + label + " from " + current + " is corrupted: its "
            + exp.algorithm() + " is " + actual + " but " + exp.hashSource() + " says " + exp.digest()
            + ". The file was deleted; load again to download it again (if this repeats, a proxy or mirror "
            + "is altering the file)");
      }
    }
    try (FileChannel ch = FileChannel.open(partial, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    try {
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
    }
    long size = written;
    if (!settings.interactiveProgress()) {
      LOG.info(() -> "downloaded " + label + " (" + DownloadProgress.bytes(size) + ") into " + target);
    }
  }

  private static MessageDigest newDigest(Expected exp, Long total) {
    try {
      if (exp.algorithm().equals("git-sha1")) {
        if (total == null) {
          return null;
        }
        MessageDigest d = MessageDigest.getInstance("SHA-1");
        d.update(("blob " + total + "\0").getBytes(StandardCharsets.US_ASCII));
        return d;
      }
      return MessageDigest.getInstance(exp.algorithm());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Optional<Long> contentRangeStart(HttpHeaders headers) {
    return headers.firstValue("Content-Range").flatMap(v -> {
      // bytes 100-199/200
      String s = v.strip().toLowerCase(Locale.ROOT);
      if (!s.startsWith("bytes ")) {
        return Optional.empty();
      }
      int dash = s.indexOf('-');
      try {
        return Optional.of(Long.parseLong(s.substring(6, dash).strip()));
      } catch (RuntimeException e) {
        return Optional.empty();
      }
    });
  }

  private static Optional<Long> contentRangeTotal(HttpHeaders headers) {
    return headers.firstValue("Content-Range").flatMap(v -> {
      int slash = v.indexOf('/');
      try {
        return slash < 0 ? Optional.empty() : Optional.of(Long.parseLong(v.substring(slash + 1).strip()));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    });
  }

  private static String readSome(InputStream in) {
    try (in) {
      byte[] b = in.readNBytes(4096);
      return new String(b, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** The next URI of a redirect; the Authorization header is dropped when the host changes. */
  private static URI redirect(URI current, String location, Map<String, String> headers) {
    URI next = current.resolve(location);
    boolean sameOrigin = same(current.getScheme(), next.getScheme()) && same(current.getHost(), next.getHost())
        && port(current) == port(next);
    if (!sameOrigin) {
      headers.keySet().removeIf(k -> k.equalsIgnoreCase("Authorization"));
    }
    return next;
  }

  private static boolean same(String a, String b) {
    return a == null ? b == null : a.equalsIgnoreCase(b);
  }

  private static int port(URI u) {
    if (u.getPort() >= 0) {
      return u.getPort();
    }
    return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }

  private HttpRequest.Builder request(URI uri, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(settings.timeout()).header("User-Agent", USER_AGENT);
    headers.forEach(b::header);
    return b;
  }

  private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler, URI uri)
      throws UnreachableException {
    try {
      return client.send(request, handler);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PresetException(null, "interrupted while requesting " + uri, e);
    } catch (IOException e) {
      throw new UnreachableException(uri, e);
    }
  }

  private static String version() {
    Package p = HubHttp.class.getPackage();
    String v = p == null ? null : p.getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
