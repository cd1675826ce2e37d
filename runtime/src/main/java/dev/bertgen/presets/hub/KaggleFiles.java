package dev.bertgen.presets.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * A Kaggle model version in kagglehub's cache, downloading what is missing as kagglehub does.
 *
 * <p>Cache layout (kagglehub's {@code cache.py}): the files of {@code owner/model/framework/variation}
 * version {@code N} are in {@code $KAGGLEHUB_CACHE/models/owner/model/framework/variation/N/}; a file
 * downloaded alone counts as cached only with its completion marker
 * {@code .../variation/.complete/N/<path>.complete}, a whole version with {@code .../variation/N.complete}.
 * A file the model does not have is remembered with {@code .../variation/.complete/N/<path>.absent}
 * (BertGen's addition, ignored by kagglehub), so a preset cached by BertGen loads with no request at
 * all.
 *
 * <p>Downloads (kagglehub before kagglesdk, {@code KaggleApiV1Client}): {@code GET
 * $KAGGLE_API_ENDPOINT/api/v1/models/owner/model/framework/variation/N/download/<path>}, with HTTP
 * basic authentication when credentials are set; the redirect to storage carries the file's MD5 in
 * {@code x-goog-hash}, which is checked. An unversioned handle is resolved with {@code GET
 * .../api/v1/models/owner/model/framework/variation/get} ({@code versionNumber}); offline, the highest
 * version in the cache is used (kagglehub needs the network for that).
 */
public final class KaggleFiles implements PresetFiles {
  private static final Logger LOG = Logger.getLogger(PresetLogging.LOGGER_NAME);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HubHttp http;
  private final KaggleHandle handle;
  private final String asked;
  private final List<String> looked;
  private final Path modelDir;
  private final Path versionDir;

  private KaggleFiles(HubHttp http, KaggleHandle handle, String asked, List<String> looked) {
    this.http = http;
    this.handle = handle;
    this.asked = asked;
    this.looked = looked;
    this.modelDir = modelDir(http.settings(), handle);
    this.versionDir = modelDir.resolve(String.valueOf(handle.version()));
  }

  /**
   * The files of {@code handle}, its version resolved.
   *
   * @param asked the source as the user wrote it (a preset name, or the handle)
   * @param looked places already looked in (a directory of that name), for the message when the
   *     preset cannot be had
   */
  public static KaggleFiles open(HubHttp http, KaggleHandle handle, String asked, List<String> looked) {
    List<String> places = new ArrayList<>(looked);
    KaggleHandle h = handle.isVersioned() ? handle : withLatestVersion(http, handle, asked, places);
    return new KaggleFiles(http, h, asked, places);
  }

  public static Path modelDir(HubSettings settings, KaggleHandle h) {
    return settings.kaggleCache().resolve("models").resolve(h.owner()).resolve(h.model()).resolve(h.framework())
        .resolve(h.variation());
  }

  /** The cached copy of {@code relative} in version {@code h}, if kagglehub counts it as cached. */
  public static Optional<Path> cached(HubSettings settings, KaggleHandle h, String relative) {
    Path model = modelDir(settings, h);
    Path file = model.resolve(String.valueOf(h.version())).resolve(relative);
    boolean marked = Files.isRegularFile(model.resolve(".complete").resolve(String.valueOf(h.version()))
        .resolve(relative + ".complete")) || Files.isRegularFile(model.resolve(h.version() + ".complete"));
    return marked && Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
  }

  private static KaggleHandle withLatestVersion(HubHttp http, KaggleHandle h, String asked, List<String> looked) {
    HubSettings s = http.settings();
    URI uri = URI.create(s.kaggleEndpoint() + "/api/v1/models/" + encodedPath(h) + "/get");
    String why;
    if (s.offline()) {
      why = "not asked: offline (BERTGEN_OFFLINE)";
    } else {
      try {
        JsonNode json = JSON.readTree(http.getText(uri, authHeaders(s)));
        JsonNode v = json == null ? null : json.get("versionNumber");
        if (v != null && v.canConvertToInt() && v.asInt() > 0) {
          return h.withVersion(v.asInt());
        }
        throw new PresetException(null, uri + " did not say the latest version of " + h + " (no versionNumber "
            + "in its answer); add the version to the handle: " + h + "/<version>");
      } catch (HubHttp.StatusException e) {
        throw statusError(e, h, "model " + h, s);
      } catch (HubHttp.UnreachableException e) {
        why = e.getMessage();
      } catch (IOException e) {
        throw new PresetException(null, uri + " answered something that is not JSON while BertGen asked for the "
            + "latest version of " + h + "; add the version to the handle: " + h + "/<version>", e);
      }
    }
    looked.add(uri + ": " + why);
    Path model = modelDir(s, h);
    int best = -1;
    if (Files.isDirectory(model)) {
      try (Stream<Path> versions = Files.list(model)) {
        for (Path p : (Iterable<Path>) versions::iterator) {
          String name = p.getFileName().toString();
          if (name.matches("[1-9][0-9]{0,8}") && cached(s, h.withVersion(Integer.parseInt(name)), "config.json")
              .isPresent()) {
            best = Math.max(best, Integer.parseInt(name));
          }
        }
      } catch (IOException e) {
        // treated as no cached version
      }
    }
    if (best > 0) {
      int v = best;
      LOG.warning(() -> "the latest version of " + h + " cannot be asked (" + looked.get(looked.size() - 1)
          + "); using version " + v + ", the highest in the kagglehub cache " + model);
      return h.withVersion(best);
    }
    looked.add("kagglehub cache " + model + ": no version with a config.json");
    throw notAvailable(asked, h, "config.json", looked, s);
  }

  @Override
  public String describe() {
    return asked.equals(handle.toString()) || asked.startsWith(KaggleHandle.PREFIX) ? handle.toString()
        : asked + " (" + handle + ")";
  }

  @Override
  public Path directory() {
    return versionDir;
  }

  public KaggleHandle handle() {
    return handle;
  }

  @Override
  public String name() {
    return handle.variation();
  }

  @Override
  public boolean fetch(String relative, boolean required) {
    HubSettings s = http.settings();
    Path file = versionDir.resolve(relative);
    Path markers = modelDir.resolve(".complete").resolve(String.valueOf(handle.version()));
    Path marker = markers.resolve(relative + ".complete");
    Path absent = markers.resolve(relative + ".absent");
    Path bundle = modelDir.resolve(handle.version() + ".complete");
    boolean bundled = Files.isRegularFile(bundle);
    if (Files.isRegularFile(file) && (bundled || Files.isRegularFile(marker))) {
      return true;
    }
    if (bundled && !Files.exists(file)) {
      return absentOrFail(relative, required, "kagglehub cache " + versionDir + " holds the whole version ("
          + bundle.getFileName() + ") and it has no " + relative);
    }
    if (Files.isRegularFile(absent)) {
      return absentOrFail(relative, required, "the model has no " + relative + " (found out earlier: " + absent + ")");
    }
    List<String> places = new ArrayList<>(looked);
    places.add("kagglehub cache " + file + ": " + (Files.exists(file) ? "incomplete (no completion marker "
        + marker + ")" : "not there"));
    URI uri = downloadUri(relative);
    if (s.offline()) {
      places.add(uri + ": not asked, offline (BERTGEN_OFFLINE)");
      return unreachable(relative, required, places);
    }
    adoptKagglehubPartial(file);
    try {
      http.download(uri, authHeaders(s), file,
          s.kaggleCache().resolve(".locks").resolve("models").resolve(handle.path())
              .resolve(String.valueOf(handle.version())).resolve(relative + ".lock"),
          HubHttp.Expected.none(), handle + "/" + relative, KaggleFiles::md5FromHeaders);
    } catch (HubHttp.StatusException e) {
      if (e.status == 404) {
        touch(absent);
        return absentOrFail(relative, required, uri + " answered 404 Not Found");
      }
      if (e.status == 403 && !required) {
        LOG.warning(() -> uri + " answered 403 Forbidden; " + relative + " is treated as absent, as keras-hub "
            + "treats it (if this model is gated, accept its terms on " + handle.webPage() + ")");
        return false;
      }
      throw statusError(e, handle, relative, s);
    } catch (HubHttp.UnreachableException e) {
      places.add(e.getMessage());
      return unreachable(relative, required, places);
    }
    touch(marker);
    try {
      Files.deleteIfExists(absent);
    } catch (IOException e) {
      // a stale absence marker is overruled by the completion marker
    }
    return true;
  }

  private boolean absentOrFail(String relative, boolean required, String why) {
    if (required) {
      throw new PresetException(null, describe() + " has no " + relative + " (" + why + "), so it is not a preset "
          + "BertGen can load: check the handle on " + handle.webPage());
    }
    return false;
  }

  private boolean unreachable(String relative, boolean required, List<String> places) {
    if (required) {
      throw notAvailable(asked, handle, relative, places, http.settings());
    }
    LOG.warning(() -> "whether " + describe() + " has " + relative + " cannot be found out ("
        + places.get(places.size() - 1) + "); loading without it");
    return false;
  }

  static PresetException notAvailable(String asked, KaggleHandle h, String relative, List<String> places,
      HubSettings s) {
    StringBuilder m = new StringBuilder("cannot load preset \"").append(asked).append("\": ").append(relative)
        .append(" of ").append(h).append(" is neither cached nor downloadable. Looked in:");
    for (String p : places) {
      m.append("\n  - ").append(p);
    }
    m.append("\nFix: connect to the network (and unset BERTGEN_OFFLINE) so BertGen downloads it into ")
        .append(s.kaggleCache()).append("; or download it once with Python, kagglehub.model_download(\"")
        .append(h.toString().substring(KaggleHandle.PREFIX.length())).append("\"), into the same cache ")
        .append("(KAGGLEHUB_CACHE); or pass the directory of a copy of the preset.");
    return new PresetException(null, m.toString());
  }

  static PresetException statusError(HubHttp.StatusException e, KaggleHandle h, String what, HubSettings s) {
    String credentials = s.kaggleCredentials() == null ? "no Kaggle credentials are set (KAGGLE_USERNAME and "
        + "KAGGLE_KEY, or ~/.kaggle/kaggle.json)" : "the credentials used are the " + s.kaggleCredentials();
    String m = switch (e.status) {
      case 401 -> "Kaggle refused the credentials (401 Unauthorized) for " + what + " at " + e.uri + "; "
          + credentials + ". Create a new API token on https://www.kaggle.com/settings and set KAGGLE_USERNAME "
          + "and KAGGLE_KEY, or save it as ~/.kaggle/kaggle.json";
      case 403 -> "Kaggle denied access (403 Forbidden) to " + what + " at " + e.uri + "; " + credentials
          + ". If the model is gated or private, sign in and accept its terms on " + h.webPage()
          + ", then use that account's credentials";
      case 404 -> "Kaggle has no " + what + " (404 Not Found at " + e.uri + "); check the handle on "
          + h.webPage() + " (owner, model, framework, variation and version)";
      default -> "Kaggle answered " + e.status + " for " + what + " at " + e.uri + "; try again later";
    };
    return new PresetException(null, m + e.serverMessage());
  }

  private URI downloadUri(String relative) {
    StringBuilder path = new StringBuilder();
    for (String seg : relative.split("/")) {
      path.append('/').append(URLEncoder.encode(seg, StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return URI.create(http.settings().kaggleEndpoint() + "/api/v1/models/" + encodedPath(handle) + "/"
        + handle.version() + "/download" + path);
  }

  private static String encodedPath(KaggleHandle h) {
    return enc(h.owner()) + "/" + enc(h.model()) + "/" + enc(h.framework()) + "/" + enc(h.variation());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static Map<String, String> authHeaders(HubSettings s) {
    Map<String, String> h = new LinkedHashMap<>();
    if (s.kaggleCredentials() != null) {
      h.put("Authorization", s.kaggleCredentials().authorization());
    }
    return h;
  }

  /** kagglehub's integrity check: the MD5 (base64) in the storage's {@code x-goog-hash} header. */
  private static HubHttp.Expected md5FromHeaders(java.net.http.HttpHeaders headers, HubHttp.Expected e) {
    Optional<String> hash = headers.firstValue("x-goog-hash");
    if (hash.isEmpty()) {
      return e;
    }
    for (String part : hash.get().split(",")) {
      String p = part.strip();
      if (p.startsWith("md5=")) {
        return new HubHttp.Expected(e.size(), "MD5", p.substring(4), "base64", "the x-goog-hash header");
      }
    }
    return e;
  }

  /**
   * A file kagglehub left half-written at its final path (it has no marker) is resumed rather than
   * fetched again; if a partial download of BertGen's is there too, the file is dropped.
   */
  private static void adoptKagglehubPartial(Path file) {
    Path partial = file.resolveSibling(file.getFileName() + ".incomplete");
    if (!Files.isRegularFile(file)) {
      return;
    }
    try {
      if (Files.exists(partial)) {
        Files.delete(file);
      } else {
        Files.move(file, partial, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      throw new PresetException(null, "cannot replace the incomplete cache file " + file + " (" + e + "); delete it "
          + "and load again", e);
    }
  }

  private static void touch(Path marker) {
    try {
      Files.createDirectories(marker.getParent());
      if (!Files.exists(marker)) {
        Files.createFile(marker);
      }
    } catch (IOException e) {
      LOG.fine(() -> "cannot write the marker " + marker + ": " + e);
    }
  }
}
