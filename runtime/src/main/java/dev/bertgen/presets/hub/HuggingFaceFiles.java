package dev.bertgen.presets.hub;

import dev.bertgen.presets.PresetException;
import dev.bertgen.presets.PresetLogging;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * A Hugging Face Hub model repository in huggingface_hub's cache, downloading what is missing as
 * {@code hf_hub_download} does.
 *
 * <p>Cache layout ({@code file_download.py}): {@code $HF_HUB_CACHE/models--org--name/} holds
 * {@code refs/main} (the commit hash {@code main} pointed to when last asked), {@code blobs/<etag>}
 * (each file once, named by its git blob SHA-1, or SHA-256 for LFS files),
 * {@code snapshots/<commit>/<path>} (relative symbolic links into {@code blobs}; copies where links
 * cannot be made) and {@code .no_exist/<commit>/<path>} (files known to be absent).
 *
 * <p>Protocol: {@code HEAD $HF_ENDPOINT/org/name/resolve/<revision>/<path>} with
 * {@code Accept-Encoding: identity} and {@code Authorization: Bearer $HF_TOKEN}; relative redirects
 * are followed. The answer gives the commit ({@code X-Repo-Commit}), the blob's name
 * ({@code X-Linked-Etag}, else {@code ETag}), its size ({@code X-Linked-Size}, else
 * {@code Content-Length}) and, for LFS files, the CDN location, downloaded without the token. Errors
 * are told apart by {@code X-Error-Code} ({@code RepoNotFound}, {@code GatedRepo},
 * {@code EntryNotFound}, {@code RevisionNotFound}). The first file fixes the commit and the others are
 * asked at that commit, so a preset's files come from one snapshot; when the hub cannot be reached
 * (or {@code HF_HUB_OFFLINE} is set) the files of the commit in {@code refs/main} are used.
 */
public final class HuggingFaceFiles implements PresetFiles {
  private static final Logger LOG = Logger.getLogger(PresetLogging.LOGGER_NAME);
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern REPO_ID = Pattern.compile("^(\\b[\\w\\-.]+\\b/)?\\b[\\w\\-.]+\\b$");
  public static final String PREFIX = "hf://";
  static final String DEFAULT_REVISION = "main";

  private final HubHttp http;
  private final String repoId;
  private final String asked;
  private final List<String> looked;
  private final Path storage;
  private String revision = DEFAULT_REVISION;
  private String commit;

  private HuggingFaceFiles(HubHttp http, String repoId, String asked, List<String> looked) {
    this.http = http;
    this.repoId = repoId;
    this.asked = asked;
    this.looked = looked;
    this.storage = storage(http.settings(), repoId);
  }

  public static HuggingFaceFiles open(HubHttp http, String repoId, String asked, List<String> looked) {
    return new HuggingFaceFiles(http, repoId, asked, new ArrayList<>(looked));
  }

  /** {@code $HF_HUB_CACHE/models--org--name}. */
  static Path storage(HubSettings settings, String repoId) {
    return settings.hfHubCache().resolve("models--" + repoId.replace("/", "--"));
  }

  /**
   * The repository id of {@code hf://org/name}.
   *
   * @throws PresetException naming the input and the expected form when it is malformed
   */
  public static String parseRepoId(String uri) {
    String id = uri.substring(uri.indexOf("://") + 3);
    String why = null;
    if (id.isEmpty()) {
      why = "the repository id is empty";
    } else if (id.length() > 96) {
      why = "the repository id is longer than 96 characters";
    } else if (!REPO_ID.matcher(id).matches()) {
      why = id.chars().filter(c -> c == '/').count() > 1
          ? "a repository id has at most one '/' (org/name); files inside it are found by BertGen"
          : "a repository id is [org/]name of letters, digits, '-', '_' and '.', starting and ending with a "
              + "letter or digit";
    } else if (id.contains("--") || id.contains("..")) {
      why = "a repository id cannot contain \"--\" or \"..\"";
    } else if (id.endsWith(".git")) {
      why = "a repository id cannot end with \".git\"";
    }
    if (why != null) {
      throw new PresetException(null, "malformed Hugging Face handle \"" + uri + "\": " + why + ". Use "
          + "hf://{org}/{model}, for example hf://google-bert/bert-base-uncased");
    }
    return id;
  }

  @Override
  public String describe() {
    return PREFIX + repoId + (commit == null ? "" : " (commit " + commit.substring(0, 12) + ")");
  }

  @Override
  public Path directory() {
    return commit == null ? storage.resolve("snapshots") : storage.resolve("snapshots").resolve(commit);
  }

  @Override
  public boolean fetch(String relative, boolean required) {
    HubSettings s = http.settings();
    if (commit != null) {
      if (Files.exists(pointer(commit, relative))) {
        return true;
      }
      if (Files.isRegularFile(storage.resolve(".no_exist").resolve(commit).resolve(relative))) {
        return absentOrFail(relative, required, "the repository has no " + relative + " at commit " + commit
            + " (found out earlier: " + storage.resolve(".no_exist").resolve(commit).resolve(relative) + ")");
      }
    }
    URI uri = resolveUri(revision, relative);
    if (s.hfOffline()) {
      return fromCache(relative, required, uri + ": not asked, offline (" + (s.offline() ? "BERTGEN_OFFLINE"
          : "HF_HUB_OFFLINE") + ")");
    }
    Map<String, String> headers = authHeaders();
    headers.put("Accept-Encoding", "identity");
    HubHttp.Head head;
    try {
      head = http.head(uri, headers);
    } catch (HubHttp.StatusException e) {
      String code = e.header("X-Error-Code").orElse("");
      if (e.status == 404 && !code.equals("RepoNotFound") && !code.equals("RevisionNotFound")) {
        e.header("X-Repo-Commit").filter(c -> COMMIT.matcher(c).matches()).ifPresent(c -> {
          touch(storage.resolve(".no_exist").resolve(c).resolve(relative));
          pin(c);
        });
        return absentOrFail(relative, required, uri + " answered 404 Not Found");
      }
      if (e.status >= 500 || e.status == 429) {
        return fromCache(relative, required, uri + ": HTTP " + e.status);
      }
      throw statusError(e, relative);
    } catch (HubHttp.UnreachableException e) {
      return fromCache(relative, required, e.getMessage());
    }
    String headCommit = head.header("X-Repo-Commit").orElse(null);
    String etag = normalizeEtag(head.header("X-Linked-Etag").orElse(head.header("ETag").orElse(null)));
    boolean redirect = head.status() >= 300 && head.status() < 400;
    Long size = parseLong(head.header("X-Linked-Size").orElse(redirect ? null
        : head.header("Content-Length").orElse(null)));
    if (headCommit == null || etag == null || size == null) {
      throw new PresetException(null, uri + " did not answer like the Hugging Face Hub (it sent no "
          + (headCommit == null ? "X-Repo-Commit" : etag == null ? "ETag" : "size") + " header); check "
          + "HF_ENDPOINT (" + s.hfEndpoint() + ") and any proxy between BertGen and the hub");
    }
    URI location = head.header("Location").map(l -> head.uri().resolve(l)).orElse(head.uri());
    pin(headCommit);
    Path pointer = pointer(headCommit, relative);
    if (Files.exists(pointer)) {
      return true;
    }
    Path blob = storage.resolve("blobs").resolve(etag);
    if (!Files.isRegularFile(blob)) {
      Map<String, String> get = authHeaders();
      if (!sameOrigin(location, URI.create(s.hfEndpoint()))) {
        get.remove("Authorization");
      }
      HubHttp.Expected expected = SHA256.matcher(etag).matches()
          ? new HubHttp.Expected(size, "SHA-256", etag, "hex", "the hub (X-Linked-Etag)")
          : COMMIT.matcher(etag).matches()
              ? new HubHttp.Expected(size, "git-sha1", etag, "hex", "the hub (ETag, the git blob hash)")
              : HubHttp.Expected.size(size);
      try {
        http.download(location, get, blob, s.hfHubCache().resolve(".locks").resolve(storage.getFileName())
            .resolve(etag + ".lock"), expected, PREFIX + repoId + "/" + relative, null);
      } catch (HubHttp.StatusException e) {
        throw statusError(e, relative);
      } catch (HubHttp.UnreachableException e) {
        throw new PresetException(null, "the download of " + relative + " of " + PREFIX + repoId + " failed: "
            + e.getMessage() + "; load again to resume it", e);
      }
    }
    link(blob, pointer);
    return true;
  }

  /** Uses the commit {@code refs/<revision>} names (or the revision itself, a commit) from the cache. */
  private boolean fromCache(String relative, boolean required, String why) {
    String c = commit != null ? commit : cachedCommit();
    List<String> places = new ArrayList<>(looked);
    Path refFile = storage.resolve("refs").resolve(revision);
    if (c == null) {
      places.add("huggingface_hub cache " + storage + ": " + (Files.isDirectory(storage) ? "no " + refFile
          : "not there"));
    } else {
      Path p = pointer(c, relative);
      if (Files.exists(p)) {
        if (commit == null) {
          commit = c;
          revision = c;
          LOG.info(() -> "the Hugging Face Hub cannot be asked (" + why + "); using the cached commit " + c
              + " of " + PREFIX + repoId);
        }
        return true;
      }
      Path noExist = storage.resolve(".no_exist").resolve(c).resolve(relative);
      if (Files.isRegularFile(noExist)) {
        commit = c;
        revision = c;
        return absentOrFail(relative, required, "the repository has no " + relative + " at commit " + c
            + " (found out earlier: " + noExist + ")");
      }
      places.add("huggingface_hub cache " + p + ": not there");
    }
    places.add(why);
    if (required) {
      StringBuilder m = new StringBuilder("cannot load preset \"").append(asked).append("\": ").append(relative)
          .append(" of ").append(PREFIX).append(repoId).append(" is neither cached nor downloadable. Looked in:");
      for (String p : places) {
        m.append("\n  - ").append(p);
      }
      m.append("\nFix: connect to the network (and unset HF_HUB_OFFLINE and BERTGEN_OFFLINE) so BertGen ")
          .append("downloads it into ").append(http.settings().hfHubCache())
          .append("; or download it once with Python, huggingface_hub.snapshot_download(\"").append(repoId)
          .append("\"), into the same cache (HF_HUB_CACHE); or pass the directory of a copy of the checkpoint.");
      throw new PresetException(null, m.toString());
    }
    LOG.warning(() -> "whether " + describe() + " has " + relative + " cannot be found out (" + why
        + "); loading without it");
    return false;
  }

  private String cachedCommit() {
    if (COMMIT.matcher(revision).matches()) {
      return revision;
    }
    Path ref = storage.resolve("refs").resolve(revision);
    try {
      if (Files.isRegularFile(ref)) {
        String c = Files.readString(ref, StandardCharsets.UTF_8).strip();
        return COMMIT.matcher(c).matches() ? c : null;
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }

  /** Fixes the commit: later files are asked at it, and {@code refs/main} records it. */
  private void pin(String c) {
    if (commit != null) {
      return;
    }
    if (!COMMIT.matcher(revision).matches()) {
      Path ref = storage.resolve("refs").resolve(revision);
      try {
        Files.createDirectories(ref.getParent());
        String old = Files.isRegularFile(ref) ? Files.readString(ref, StandardCharsets.UTF_8).strip() : null;
        if (!c.equals(old)) {
          Path tmp = ref.resolveSibling(ref.getFileName() + ".tmp" + ProcessHandle.current().pid());
          Files.writeString(tmp, c, StandardCharsets.UTF_8);
          Files.move(tmp, ref, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
      } catch (IOException e) {
        LOG.fine(() -> "cannot write " + ref + ": " + e);
      }
    }
    commit = c;
    revision = c;
  }

  private Path pointer(String c, String relative) {
    return storage.resolve("snapshots").resolve(c).resolve(relative);
  }

  /** A relative symbolic link from the snapshot to the blob, or a copy where links cannot be made. */
  private static void link(Path blob, Path pointer) {
    try {
      Files.createDirectories(pointer.getParent());
      Path relativeTarget = pointer.getParent().relativize(blob);
      Path tmp = pointer.resolveSibling(pointer.getFileName() + ".link" + ProcessHandle.current().pid());
      Files.deleteIfExists(tmp);
      try {
        Files.createSymbolicLink(tmp, relativeTarget);
      } catch (UnsupportedOperationException | IOException e) {
        Files.copy(blob, tmp, StandardCopyOption.REPLACE_EXISTING);
      }
      Files.move(tmp, pointer, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new PresetException(null, "cannot create " + pointer + " in the huggingface_hub cache: " + e, e);
    }
  }

  private boolean absentOrFail(String relative, boolean required, String why) {
    if (required) {
      throw new PresetException(null, describe() + " has no " + relative + " (" + why + "); BertGen loads BERT "
          + "checkpoints with config.json (see https://huggingface.co/" + repoId + "/tree/main)");
    }
    return false;
  }

  private PresetException statusError(HubHttp.StatusException e, String relative) {
    HubSettings s = http.settings();
    String code = e.header("X-Error-Code").orElse("");
    String token = s.hfToken() == null ? "no token is set (HF_TOKEN, or " + "huggingface-cli login)"
        : "the token from " + s.hfTokenSource() + " was sent";
    String m;
    if (code.equals("GatedRepo") || (e.status == 403 && !code.equals("RepoNotFound"))) {
      m = PREFIX + repoId + " is gated (" + e.status + " at " + e.uri + "): accept its terms on "
          + "https://huggingface.co/" + repoId + " with your account and set HF_TOKEN to a token of that account; "
          + token;
    } else if (code.equals("RepoNotFound") || e.status == 401) {
      m = "the Hugging Face Hub has no repository " + repoId + " that this request may see (" + e.status + " "
          + (code.isEmpty() ? "" : code + " ") + "at " + e.uri + "): check the name, and for a private or gated "
          + "repository set HF_TOKEN to a token with access; " + token;
    } else if (code.equals("RevisionNotFound")) {
      m = PREFIX + repoId + " has no revision " + revision + " (" + e.uri + ")";
    } else {
      m = "the Hugging Face Hub answered " + e.status + " for " + relative + " of " + PREFIX + repoId + " at "
          + e.uri + "; try again later";
    }
    return new PresetException(null, m + e.serverMessage());
  }

  private Map<String, String> authHeaders() {
    Map<String, String> h = new LinkedHashMap<>();
    if (http.settings().hfToken() != null) {
      h.put("Authorization", "Bearer " + http.settings().hfToken());
    }
    return h;
  }

  private URI resolveUri(String rev, String relative) {
    StringBuilder path = new StringBuilder();
    for (String seg : relative.split("/")) {
      path.append('/').append(enc(seg));
    }
    return URI.create(http.settings().hfEndpoint() + "/" + repoId + "/resolve/" + enc(rev) + path);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** huggingface_hub's {@code _normalize_etag}: without {@code W/} and quotes. */
  static String normalizeEtag(String etag) {
    if (etag == null) {
      return null;
    }
    String e = etag.strip();
    if (e.startsWith("W/")) {
      e = e.substring(2);
    }
    e = e.replace("\"", "");
    return e.isEmpty() ? null : e;
  }

  private static Long parseLong(String s) {
    try {
      return s == null ? null : Long.parseLong(s.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static boolean sameOrigin(URI a, URI b) {
    return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
  }

  private static int port(URI u) {
    return u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }

  private static void touch(Path p) {
    try {
      Files.createDirectories(p.getParent());
      if (!Files.exists(p)) {
        Files.createFile(p);
      }
    } catch (IOException e) {
      LOG.fine(() -> "cannot write " + p + ": " + e);
    }
  }

  String repoId() {
    return repoId;
  }

  @Override
  public String name() {
    return repoId.substring(repoId.lastIndexOf('/') + 1);
  }
}
