package dev.bertgen.presets.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bertgen.presets.PresetException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Where {@code kaggle://} and {@code hf://} presets are cached and downloaded from, and with which
 * credentials: what Python's kagglehub and huggingface_hub read from the environment, read the same
 * way, so that BertGen and Python share their caches and settings.
 *
 * <table>
 * <caption>Environment variables</caption>
 * <tr><th>variable</th><th>default</th><th>as read by</th></tr>
 * <tr><td>{@code KAGGLEHUB_CACHE}</td><td>{@code ~/.cache/kagglehub}</td><td>kagglehub</td></tr>
 * <tr><td>{@code KAGGLE_API_ENDPOINT}</td><td>{@code https://www.kaggle.com}</td><td>kagglehub (before
 *     kagglesdk)</td></tr>
 * <tr><td>{@code KAGGLE_USERNAME}, {@code KAGGLE_KEY}</td><td>{@code $KAGGLE_CONFIG_DIR/kaggle.json} or
 *     {@code ~/.kaggle/kaggle.json}</td><td>kagglehub (HTTP basic authentication)</td></tr>
 * <tr><td>{@code KAGGLE_API_TOKEN}</td><td>none</td><td>kagglehub with kagglesdk (bearer token)</td></tr>
 * <tr><td>{@code HF_ENDPOINT}</td><td>{@code https://huggingface.co}</td><td>huggingface_hub</td></tr>
 * <tr><td>{@code HF_HOME}</td><td>{@code $XDG_CACHE_HOME/huggingface} or {@code ~/.cache/huggingface}</td>
 *     <td>huggingface_hub</td></tr>
 * <tr><td>{@code HF_HUB_CACHE}</td><td>{@code $HUGGINGFACE_HUB_CACHE} or {@code $HF_HOME/hub}</td>
 *     <td>huggingface_hub</td></tr>
 * <tr><td>{@code HF_TOKEN}</td><td>{@code $HUGGING_FACE_HUB_TOKEN}, then the file {@code $HF_TOKEN_PATH} or
 *     {@code $HF_HOME/token}</td><td>huggingface_hub (bearer token)</td></tr>
 * <tr><td>{@code HF_HUB_OFFLINE}</td><td>{@code $TRANSFORMERS_OFFLINE}</td><td>huggingface_hub: use the
 *     cache only</td></tr>
 * <tr><td>{@code BERTGEN_OFFLINE}</td><td>false</td><td>BertGen: no network for either hub</td></tr>
 * </table>
 *
 * <p>Instances are immutable; the {@code with...} methods return changed copies (tests point the
 * endpoints at a local server and the caches at a temporary directory).
 */
public final class HubSettings {
  /** kagglehub's default endpoint. */
  public static final String DEFAULT_KAGGLE_ENDPOINT = "https://www.kaggle.com";
  /** huggingface_hub's default endpoint. */
  public static final String DEFAULT_HF_ENDPOINT = "https://huggingface.co";

  /** Kaggle credentials: a user name and key (basic authentication) or an API token (bearer). */
  public record KaggleCredentials(String username, String key, String apiToken, String source) {
    /** The {@code Authorization} header value. */
    public String authorization() {
      if (apiToken != null) {
        return "Bearer " + apiToken;
      }
      return "Basic " + java.util.Base64.getEncoder()
          .encodeToString((username + ":" + key).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
      return apiToken != null ? "Kaggle API token from " + source : "Kaggle user " + username + " from " + source;
    }
  }

  private final String kaggleEndpoint;
  private final Path kaggleCache;
  private final KaggleCredentials kaggleCredentials;
  /** A kaggle.json that cannot be used: reported when Kaggle credentials are needed, not before. */
  private final PresetException kaggleCredentialsError;
  private final String hfEndpoint;
  private final Path hfHubCache;
  private final String hfToken;
  private final String hfTokenSource;
  private final boolean hfOffline;
  private final boolean offline;
  private final Boolean interactiveProgress;
  private final PrintStream progressStream;
  private final Duration timeout;

  private HubSettings(String kaggleEndpoint, Path kaggleCache, KaggleCredentials kaggleCredentials,
      PresetException kaggleCredentialsError, String hfEndpoint, Path hfHubCache, String hfToken, String hfTokenSource,
      boolean hfOffline, boolean offline, Boolean interactiveProgress, PrintStream progressStream, Duration timeout) {
    this.kaggleEndpoint = stripSlash(Objects.requireNonNull(kaggleEndpoint, "kaggleEndpoint"));
    this.kaggleCache = Objects.requireNonNull(kaggleCache, "kaggleCache");
    this.kaggleCredentials = kaggleCredentials;
    this.kaggleCredentialsError = kaggleCredentialsError;
    this.hfEndpoint = stripSlash(Objects.requireNonNull(hfEndpoint, "hfEndpoint"));
    this.hfHubCache = Objects.requireNonNull(hfHubCache, "hfHubCache");
    this.hfToken = hfToken;
    this.hfTokenSource = hfTokenSource;
    this.hfOffline = hfOffline;
    this.offline = offline;
    this.interactiveProgress = interactiveProgress;
    this.progressStream = progressStream;
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /** The settings of this process's environment, read as kagglehub and huggingface_hub read them. */
  public static HubSettings fromEnvironment() {
    return fromEnvironment(System.getenv(), Path.of(System.getProperty("user.home")));
  }

  /**
   * The settings an environment gives.
   *
   * @param env environment variables
   * @param home the user's home directory
   * @throws PresetException when a credentials file exists but cannot be used
   */
  public static HubSettings fromEnvironment(Map<String, String> env, Path home) {
    Function<String, String> get = k -> {
      String v = env.get(k);
      return v == null || v.isEmpty() ? null : v;
    };
    Path kaggleCache = path(get.apply("KAGGLEHUB_CACHE"), home.resolve(".cache").resolve("kagglehub"));
    String kaggleEndpoint = orElse(get.apply("KAGGLE_API_ENDPOINT"), DEFAULT_KAGGLE_ENDPOINT);
    KaggleCredentials credentials = null;
    PresetException credentialsError = null;
    try {
      credentials = kaggleCredentials(get, home);
    } catch (PresetException e) {
      credentialsError = e;
    }

    Path xdg = path(get.apply("XDG_CACHE_HOME"), home.resolve(".cache"));
    Path hfHome = path(get.apply("HF_HOME"), xdg.resolve("huggingface"));
    Path hubCache = path(get.apply("HF_HUB_CACHE"), path(get.apply("HUGGINGFACE_HUB_CACHE"), hfHome.resolve("hub")));
    String hfEndpoint = orElse(get.apply("HF_ENDPOINT"), DEFAULT_HF_ENDPOINT);
    String token = get.apply("HF_TOKEN");
    String tokenSource = "HF_TOKEN";
    if (token == null) {
      token = get.apply("HUGGING_FACE_HUB_TOKEN");
      tokenSource = "HUGGING_FACE_HUB_TOKEN";
    }
    if (token == null) {
      Path tokenFile = path(get.apply("HF_TOKEN_PATH"), hfHome.resolve("token"));
      token = readToken(tokenFile);
      tokenSource = tokenFile.toString();
    }
    if (token != null) {
      token = token.strip();
      if (token.isEmpty()) {
        token = null;
      }
    }
    boolean hfOffline = truthy(get.apply("HF_HUB_OFFLINE")) || truthy(get.apply("TRANSFORMERS_OFFLINE"));
    boolean offline = truthy(get.apply("BERTGEN_OFFLINE"));
    return new HubSettings(kaggleEndpoint, kaggleCache, credentials, credentialsError, hfEndpoint, hubCache, token,
        token == null ? null : tokenSource, hfOffline, offline, null, null, Duration.ofSeconds(30));
  }

  private static KaggleCredentials kaggleCredentials(Function<String, String> get, Path home) {
    String apiToken = get.apply("KAGGLE_API_TOKEN");
    if (apiToken != null) {
      return new KaggleCredentials(null, null, apiToken.strip(), "KAGGLE_API_TOKEN");
    }
    String user = get.apply("KAGGLE_USERNAME");
    String key = get.apply("KAGGLE_KEY");
    if (user != null && key != null) {
      return new KaggleCredentials(user, key, null, "KAGGLE_USERNAME and KAGGLE_KEY");
    }
    Path folder = path(get.apply("KAGGLE_CONFIG_DIR"), home.resolve(".kaggle"));
    Path file = folder.resolve("kaggle.json");
    if (!Files.isRegularFile(file)) {
      return null;
    }
    JsonNode json;
    try {
      json = new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new PresetException(null, "the Kaggle credentials file " + file + " is not valid JSON (" + e.getMessage()
          + "); it must be {\"username\": \"...\", \"key\": \"...\"} as downloaded from kaggle.com/settings", e);
    }
    for (String field : new String[] {"username", "key"}) {
      if (json == null || !json.path(field).isTextual()) {
        throw new PresetException(null, "the Kaggle credentials file " + file + " has no \"" + field + "\"; it "
            + "must be {\"username\": \"...\", \"key\": \"...\"} as downloaded from kaggle.com/settings");
      }
    }
    return new KaggleCredentials(json.get("username").asText(), json.get("key").asText(), null, file.toString());
  }

  private static String readToken(Path file) {
    try {
      return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static Path path(String value, Path fallback) {
    if (value == null) {
      return fallback;
    }
    try {
      return Path.of(expandHome(value));
    } catch (InvalidPathException e) {
      return fallback;
    }
  }

  private static String expandHome(String value) {
    if (value.equals("~") || value.startsWith("~/")) {
      return System.getProperty("user.home") + value.substring(1);
    }
    return value;
  }

  private static String orElse(String value, String fallback) {
    return value == null ? fallback : value;
  }

  /** huggingface_hub's {@code _is_true}: 1, ON, YES, TRUE (any case). */
  static boolean truthy(String value) {
    return value != null && switch (value.strip().toUpperCase(Locale.ROOT)) {
      case "1", "ON", "YES", "TRUE", "T" -> true;
      default -> false;
    };
  }

  private static String stripSlash(String endpoint) {
    String e = endpoint;
    while (e.endsWith("/")) {
      e = e.substring(0, e.length() - 1);
    }
    return e;
  }

  /** The Kaggle API endpoint, without a trailing slash. */
  public String kaggleEndpoint() {
    return kaggleEndpoint;
  }

  /** kagglehub's cache folder. */
  public Path kaggleCache() {
    return kaggleCache;
  }

  /**
   * The Kaggle credentials, or {@code null} for anonymous downloads (public models).
   *
   * @throws PresetException when the credentials file ({@code kaggle.json}) exists but cannot be used
   */
  public KaggleCredentials kaggleCredentials() {
    if (kaggleCredentialsError != null) {
      throw kaggleCredentialsError;
    }
    return kaggleCredentials;
  }

  /** The Hugging Face Hub endpoint, without a trailing slash. */
  public String hfEndpoint() {
    return hfEndpoint;
  }

  /** huggingface_hub's cache folder ({@code models--org--name/...} inside). */
  public Path hfHubCache() {
    return hfHubCache;
  }

  /** The Hugging Face token, or {@code null}. */
  public String hfToken() {
    return hfToken;
  }

  /** Where the Hugging Face token came from, for messages. */
  String hfTokenSource() {
    return hfTokenSource;
  }

  /** True when nothing may be downloaded from the Hugging Face Hub (HF_HUB_OFFLINE or BERTGEN_OFFLINE). */
  public boolean hfOffline() {
    return hfOffline || offline;
  }

  /** True when nothing may be downloaded from anywhere (BERTGEN_OFFLINE). */
  public boolean offline() {
    return offline;
  }

  /** Per-request timeout (connecting and receiving the response headers). */
  public Duration timeout() {
    return timeout;
  }

  /** Whether downloads show a single updating progress line: by default when a console is attached. */
  boolean interactiveProgress() {
    return interactiveProgress != null ? interactiveProgress : System.console() != null;
  }

  /** Where the progress line goes (standard error by default). */
  PrintStream progressStream() {
    return progressStream != null ? progressStream : System.err;
  }

  public HubSettings withKaggleEndpoint(String value) {
    return new HubSettings(value, kaggleCache, kaggleCredentials, kaggleCredentialsError, hfEndpoint,
        hfHubCache, hfToken, hfTokenSource,
        hfOffline, offline, interactiveProgress, progressStream, timeout);
  }

  public HubSettings withKaggleCache(Path value) {
    return new HubSettings(kaggleEndpoint, value, kaggleCredentials, kaggleCredentialsError, hfEndpoint,
        hfHubCache, hfToken, hfTokenSource,
        hfOffline, offline, interactiveProgress, progressStream, timeout);
  }

  /** Basic-authentication credentials, or none with {@code null} user name. */
  public HubSettings withKaggleCredentials(String username, String key) {
    KaggleCredentials c = username == null ? null : new KaggleCredentials(username, key, null, "HubSettings");
    return new HubSettings(kaggleEndpoint, kaggleCache, c, null, hfEndpoint, hfHubCache, hfToken, hfTokenSource,
        hfOffline, offline, interactiveProgress, progressStream, timeout);
  }

  public HubSettings withHfEndpoint(String value) {
    return new HubSettings(kaggleEndpoint, kaggleCache, kaggleCredentials, kaggleCredentialsError, value,
        hfHubCache, hfToken, hfTokenSource,
        hfOffline, offline, interactiveProgress, progressStream, timeout);
  }

  public HubSettings withHfHubCache(Path value) {
    return new HubSettings(kaggleEndpoint, kaggleCache, kaggleCredentials, kaggleCredentialsError, hfEndpoint,
        value, hfToken, hfTokenSource,
        hfOffline, offline, interactiveProgress, progressStream, timeout);
  }

  /** A Hugging Face token, or none with {@code null}. */
  public HubSettings withHfToken(String value) {
    return new HubSettings(kaggleEndpoint, kaggleCache, kaggleCredentials, kaggleCredentialsError, hfEndpoint,
        hfHubCache, value,
        value == null ? null : "HubSettings", hfOffline, offline, interactiveProgress, progressStream, timeout);
  }

  /** No network at all: presets come from directories and the caches only. */
  public HubSettings withOffline(boolean value) {
    return new HubSettings(kaggleEndpoint, kaggleCache, kaggleCredentials, kaggleCredentialsError, hfEndpoint,
        hfHubCache, hfToken,
        hfTokenSource, hfOffline, value, interactiveProgress, progressStream, timeout);
  }

  /**
   * Progress display: {@code true} a single updating line, {@code false} one log line per file,
   * {@code null} the default (a line when {@code System.console() != null}).
   */
  public HubSettings withProgress(Boolean interactive, PrintStream stream) {
    return new HubSettings(kaggleEndpoint, kaggleCache, kaggleCredentials, kaggleCredentialsError, hfEndpoint,
        hfHubCache, hfToken,
        hfTokenSource, hfOffline, offline, interactive, stream, timeout);
  }

  public HubSettings withTimeout(Duration value) {
    return new HubSettings(kaggleEndpoint, kaggleCache, kaggleCredentials, kaggleCredentialsError, hfEndpoint,
        hfHubCache, hfToken,
        hfTokenSource, hfOffline, offline, interactiveProgress, progressStream, value);
  }

  @Override
  public String toString() {
    return "HubSettings[kaggle " + kaggleEndpoint + ", cache " + kaggleCache + ", "
        + (kaggleCredentials == null ? "anonymous" : kaggleCredentials) + "; hf " + hfEndpoint + ", cache "
        + hfHubCache + ", " + (hfToken == null ? "no token" : "token from " + hfTokenSource)
        + (offline ? "; offline" : hfOffline ? "; hf offline" : "") + "]";
  }
}
