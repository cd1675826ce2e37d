package dev.bertgen.presets;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A stand-in for kaggle.com and huggingface.co on 127.0.0.1, serving fixture files in their URL
 * layouts, for download tests.
 *
 * <p>Kaggle (kagglehub's REST API): {@code GET /api/v1/models/o/m/f/v/get} answers
 * {@code {"versionNumber": N}}; {@code GET /api/v1/models/o/m/f/v/N/download/<path>} redirects to
 * {@code http://localhost:<port>/gcs/...} (another host name, as storage.googleapis.com is), which
 * serves the bytes with {@code x-goog-hash: md5=...} and {@code Accept-Ranges: bytes}.
 *
 * <p>Hugging Face: {@code HEAD|GET /org/name/resolve/<rev>/<path>} with {@code X-Repo-Commit}; small
 * files answer 200 with their git blob SHA-1 as {@code ETag}; "LFS" files answer 302 to
 * {@code http://localhost:<port>/cdn/<sha256>} with {@code X-Linked-Etag} and {@code X-Linked-Size};
 * errors carry {@code X-Error-Code}.
 *
 * <p>Faults can be injected: required credentials, corrupted bodies (right hash, wrong bytes), a
 * connection dropped after some bytes (once).
 */
final class HubTestServer implements AutoCloseable {
  /** One request as received. */
  record Request(String method, String path, Map<String, String> headers) {
    String header(String name) {
      for (Map.Entry<String, String> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue();
        }
      }
      return null;
    }
  }

  private record HfRepo(String commit, Map<String, byte[]> files, Set<String> lfs, String token, boolean gated) {}

  private final HttpServer server;
  private final Map<String, Integer> kaggleLatest = new ConcurrentHashMap<>();
  private final Map<String, Map<String, byte[]>> kaggleFiles = new ConcurrentHashMap<>();
  private final Map<String, HfRepo> hfRepos = new ConcurrentHashMap<>();
  private final Map<String, byte[]> cdn = new ConcurrentHashMap<>();
  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
  private final Set<String> corrupt = ConcurrentHashMap.newKeySet();
  private final Map<String, Integer> dropAfter = new ConcurrentHashMap<>();
  private volatile String kaggleAuthorization;

  HubTestServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "hub-test-server");
      t.setDaemon(true);
      return t;
    }));
    server.start();
  }

  /** {@code http://127.0.0.1:<port>}, the endpoint for both hubs. */
  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private String otherHost() {
    return "http://localhost:" + server.getAddress().getPort();
  }

  /** Serves every file under {@code dir} as version {@code version} of Kaggle model {@code handlePath}. */
  HubTestServer kaggleModel(String handlePath, int version, Path dir) {
    kaggleFiles.put(handlePath + "/" + version, readTree(dir));
    kaggleLatest.merge(handlePath, version, Math::max);
    return this;
  }

  /** Kaggle requests must carry HTTP basic authentication with these credentials. */
  HubTestServer requireKaggleCredentials(String user, String key) {
    kaggleAuthorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + key)
        .getBytes(StandardCharsets.UTF_8));
    return this;
  }

  /** Serves every file under {@code dir} as repository {@code repoId}; {@code lfs} files go through the CDN. */
  HubTestServer hfRepo(String repoId, Path dir, Set<String> lfs) {
    return hfRepo(repoId, dir, lfs, null, false);
  }

  /** A private ({@code token} required) or gated repository. */
  HubTestServer hfRepo(String repoId, Path dir, Set<String> lfs, String token, boolean gated) {
    Map<String, byte[]> files = readTree(dir);
    String commit = hex(sha("SHA-1", (repoId + files.keySet()).getBytes(StandardCharsets.UTF_8)));
    hfRepos.put(repoId, new HfRepo(commit, files, lfs, token, gated));
    for (String f : lfs) {
      cdn.put(hex(sha("SHA-256", files.get(f))), files.get(f));
    }
    return this;
  }

  String hfCommit(String repoId) {
    return hfRepos.get(repoId).commit();
  }

  /** Bodies of paths ending with {@code suffix} have one byte flipped (their announced hash is right). */
  HubTestServer corrupt(String suffix) {
    corrupt.add(suffix);
    return this;
  }

  /** The next body of a path ending with {@code suffix} breaks off after {@code bytes} bytes. */
  HubTestServer dropOnceAfter(String suffix, int bytes) {
    dropAfter.put(suffix, bytes);
    return this;
  }

  List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  void clearRequests() {
    requests.clear();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getRawPath();
      Map<String, String> headers = new LinkedHashMap<>();
      ex.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
      requests.add(new Request(ex.getRequestMethod(), path, headers));
      if (path.startsWith("/api/v1/models/")) {
        kaggleApi(ex, decode(path.substring("/api/v1/models/".length())));
      } else if (path.startsWith("/gcs/")) {
        String key = decode(path.substring("/gcs/".length()));
        int split = key.indexOf("/download/");
        byte[] body = kaggleFiles.getOrDefault(key.substring(0, split), Map.of()).get(key.substring(split + 10));
        if (body == null) {
          send(ex, 404, new Headers(), "no such object".getBytes(StandardCharsets.UTF_8));
          return;
        }
        Headers h = new Headers();
        h.set("x-goog-hash", "crc32c=AAAAAA==,md5=" + Base64.getEncoder().encodeToString(sha("MD5", body)));
        serveBytes(ex, h, body, path);
      } else if (path.startsWith("/cdn/")) {
        byte[] body = cdn.get(path.substring(5));
        if (body == null) {
          send(ex, 404, new Headers(), new byte[0]);
          return;
        }
        serveBytes(ex, new Headers(), body, path);
      } else {
        huggingFace(ex, path);
      }
    }
  }

  private void kaggleApi(HttpExchange ex, String rest) throws IOException {
    if (kaggleAuthorization != null && !kaggleAuthorization.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
      send(ex, 401, new Headers(), "{\"code\":401,\"message\":\"Unauthenticated\"}".getBytes(StandardCharsets.UTF_8));
      return;
    }
    if (rest.endsWith("/get")) {
      Integer v = kaggleLatest.get(rest.substring(0, rest.length() - 4));
      if (v == null) {
        send(ex, 404, new Headers(), "{\"code\":404,\"message\":\"Not found\"}".getBytes(StandardCharsets.UTF_8));
        return;
      }
      send(ex, 200, new Headers(), ("{\"versionNumber\": " + v + ", \"slug\": \"x\"}").getBytes(StandardCharsets.UTF_8));
      return;
    }
    int split = rest.indexOf("/download/");
    if (split < 0) {
      send(ex, 404, new Headers(), new byte[0]);
      return;
    }
    String version = rest.substring(0, split);
    String file = rest.substring(split + "/download/".length());
    Map<String, byte[]> files = kaggleFiles.get(version);
    if (files == null || !files.containsKey(file)) {
      send(ex, 404, new Headers(), "{\"code\":404,\"message\":\"Not found\"}".getBytes(StandardCharsets.UTF_8));
      return;
    }
    Headers h = new Headers();
    h.set("Location", otherHost() + "/gcs/" + version + "/download/" + file);
    send(ex, 302, h, new byte[0]);
  }

  private void huggingFace(HttpExchange ex, String path) throws IOException {
    int at = path.indexOf("/resolve/");
    if (at < 0) {
      send(ex, 404, new Headers(), new byte[0]);
      return;
    }
    String repoId = decode(path.substring(1, at));
    String rest = path.substring(at + "/resolve/".length());
    int slash = rest.indexOf('/');
    String revision = decode(rest.substring(0, slash));
    String file = decode(rest.substring(slash + 1));
    HfRepo repo = hfRepos.get(repoId);
    Headers h = new Headers();
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    if (repo == null || (repo.token() != null && !repo.gated() && !("Bearer " + repo.token()).equals(auth))) {
      h.set("X-Error-Code", "RepoNotFound");
      send(ex, 401, h, "{\"error\":\"Repository Not Found\"}".getBytes(StandardCharsets.UTF_8));
      return;
    }
    if (repo.gated() && !("Bearer " + repo.token()).equals(auth)) {
      h.set("X-Error-Code", "GatedRepo");
      send(ex, 403, h, "{\"error\":\"Access to this model is restricted\"}".getBytes(StandardCharsets.UTF_8));
      return;
    }
    if (!revision.equals("main") && !revision.equals(repo.commit())) {
      h.set("X-Error-Code", "RevisionNotFound");
      send(ex, 404, h, new byte[0]);
      return;
    }
    h.set("X-Repo-Commit", repo.commit());
    byte[] body = repo.files().get(file);
    if (body == null) {
      h.set("X-Error-Code", "EntryNotFound");
      send(ex, 404, h, "{\"error\":\"Entry not found\"}".getBytes(StandardCharsets.UTF_8));
      return;
    }
    if (repo.lfs().contains(file)) {
      String sha256 = hex(sha("SHA-256", body));
      h.set("X-Linked-Etag", "\"" + sha256 + "\"");
      h.set("X-Linked-Size", String.valueOf(body.length));
      h.set("ETag", "W/\"" + hex(sha("SHA-1", body)) + "\"");
      h.set("Location", otherHost() + "/cdn/" + sha256);
      send(ex, 302, h, new byte[0]);
      return;
    }
    byte[] prefix = ("blob " + body.length + "\0").getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[prefix.length + body.length];
    System.arraycopy(prefix, 0, all, 0, prefix.length);
    System.arraycopy(body, 0, all, prefix.length, body.length);
    h.set("ETag", "\"" + hex(sha("SHA-1", all)) + "\"");
    if (ex.getRequestMethod().equals("HEAD")) {
      h.set("Content-Length", String.valueOf(body.length));
      send(ex, 200, h, null);
      return;
    }
    serveBytes(ex, h, body, path);
  }

  /** Serves {@code body}, honoring a {@code Range: bytes=N-} request, with the injected faults. */
  private void serveBytes(HttpExchange ex, Headers h, byte[] body, String path) throws IOException {
    byte[] data = body;
    for (String suffix : corrupt) {
      if (path.endsWith(suffix)) {
        data = body.clone();
        data[data.length / 2] ^= 0x5A;
      }
    }
    h.set("Accept-Ranges", "bytes");
    int start = 0;
    int status = 200;
    String range = ex.getRequestHeaders().getFirst("Range");
    if (range != null && range.startsWith("bytes=") && range.endsWith("-")) {
      start = Integer.parseInt(range.substring(6, range.length() - 1));
      if (start >= data.length) {
        h.set("Content-Range", "bytes */" + data.length);
        send(ex, 416, h, new byte[0]);
        return;
      }
      status = 206;
      h.set("Content-Range", "bytes " + start + "-" + (data.length - 1) + "/" + data.length);
    }
    if (ex.getRequestMethod().equals("HEAD")) {
      h.set("Content-Length", String.valueOf(data.length - start));
      send(ex, status, h, null);
      return;
    }
    Integer drop = null;
    for (Map.Entry<String, Integer> e : dropAfter.entrySet()) {
      if (path.endsWith(e.getKey())) {
        drop = e.getValue();
        dropAfter.remove(e.getKey());
      }
    }
    ex.getResponseHeaders().putAll(h);
    ex.sendResponseHeaders(status, data.length - start);
    OutputStream out = ex.getResponseBody();
    if (drop != null) {
      out.write(data, start, Math.min(drop, data.length - start));
      out.flush();
      throw new IOException("connection dropped on purpose"); // the exchange is closed without the rest
    }
    out.write(data, start, data.length - start);
  }

  private static void send(HttpExchange ex, int status, Headers h, byte[] body) throws IOException {
    ex.getResponseHeaders().putAll(h);
    if (body == null) {
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      ex.getResponseBody().write(body);
    }
  }

  private static Map<String, byte[]> readTree(Path dir) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(p)) {
          out.put(dir.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  static byte[] sha(String algorithm, byte[] data) {
    try {
      return MessageDigest.getInstance(algorithm).digest(data);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
