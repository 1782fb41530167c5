//! Tests of the settings module.

use super::*;

fn with_env(vars: &[(&str, &str)]) -> Result<Settings, ConfigError> {
    load(&Sources {
        local: None,
        file: None,
        env: Some(
            vars.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        ),
    })
}

/// The committed defaults parse and give the documented values.
#[test]
fn defaults_parse() {
    let s = with_env(&[]).expect("defaults are valid");
    assert_eq!(s.prefix, "!");
    assert_eq!(s.data_dir, None, "the built-in index");
    assert_eq!(s.index_source(), crate::index::Source::Embedded);
    assert_eq!(s.http_listen.to_string(), "127.0.0.1:8080");
    assert!(
        s.configured_platforms().is_empty(),
        "nothing configured: console"
    );
}

/// The cooldown defaults are on for people and channels; a burst of 0 switches one off,
/// and a refill of 0 seconds is refused naming its key.
#[test]
fn cooldowns_are_read_and_checked() {
    let s = with_env(&[]).expect("defaults are valid");
    let person = s.cooldowns.person.expect("on by default");
    assert!(person.burst.get() > 1 && !person.refill.is_zero());
    assert!(s.cooldowns.channel.expect("on by default").burst > person.burst);
    let off = with_env(&[("SIGNPOST__COOLDOWN__PERSON_BURST", "0")]).expect("valid");
    assert_eq!(off.cooldowns.person, None);
    let slow = with_env(&[("SIGNPOST__COOLDOWN__CHANNEL_REFILL_SECONDS", "0.5")]).expect("valid");
    assert_eq!(
        slow.cooldowns.channel.map(|l| l.refill),
        Some(std::time::Duration::from_millis(500))
    );
    let error =
        with_env(&[("SIGNPOST__COOLDOWN__PERSON_REFILL_SECONDS", "0")]).expect_err("zero refill");
    assert!(
        error.to_string().contains("cooldown.person_refill_seconds"),
        "{error}"
    );
}

/// Storage is SQLite in `state/` by default with question counting on; moderator settings
/// default to none and Matrix's moderator level, and bad values are refused by key.
#[test]
fn storage_and_moderators() {
    let s = with_env(&[]).unwrap();
    assert_eq!(
        s.storage.backend,
        StorageBackend::Sqlite(PathBuf::from("state/signpost.db"))
    );
    assert!(s.storage.record_questions);
    assert_eq!(s.moderators.matrix_power_level, 50);
    assert!(s.moderators.discord_roles.is_empty() && s.moderators.slack_users.is_empty());
    let s = with_env(&[
        ("SIGNPOST__DISCORD__MODERATOR_ROLES", "11,22"),
        ("SIGNPOST__SLACK__MODERATORS", "U024BE7LH"),
        ("SIGNPOST__STORAGE__RECORD_QUESTIONS", "false"),
    ])
    .unwrap();
    assert_eq!(s.moderators.discord_roles, vec![11, 22]);
    assert_eq!(s.moderators.slack_users, vec!["U024BE7LH"]);
    assert!(!s.storage.record_questions);
    assert!(
        s.configured_platforms().is_empty(),
        "moderator lists configure no platform"
    );
    for (key, value, named) in [
        (
            "SIGNPOST__MATRIX__MODERATOR_POWER_LEVEL",
            "0",
            "matrix.moderator_power_level",
        ),
        ("SIGNPOST__SLACK__MODERATORS", "<@U1>", "slack.moderators"),
        ("SIGNPOST__STORAGE__CONNECTIONS", "0", "storage.connections"),
    ] {
        let error = with_env(&[(key, value)]).unwrap_err().to_string();
        assert!(error.contains(named), "{error}");
    }
}

/// Environment variables override the defaults.
#[test]
fn environment_overrides() {
    let s = with_env(&[
        ("SIGNPOST__BOT__PREFIX", "?"),
        ("SIGNPOST__BOT__DATA_DIR", "/srv/index"),
    ])
    .unwrap();
    assert_eq!(s.prefix, "?");
    assert_eq!(s.data_dir, Some(PathBuf::from("/srv/index")));
}

/// The log format is text by default, JSON on request, and anything else is refused by name.
#[test]
fn log_format_is_checked() {
    assert_eq!(with_env(&[]).unwrap().log_format, LogFormat::Text);
    let json = with_env(&[("SIGNPOST__BOT__LOG_FORMAT", "json")]).unwrap();
    assert_eq!(json.log_format, LogFormat::Json);
    let err = with_env(&[("SIGNPOST__BOT__LOG_FORMAT", "xml")])
        .unwrap_err()
        .to_string();
    assert!(err.contains("bot.log_format"), "{err}");
}

/// Unset, workers follow the roles: one per core with Slack over HTTP or Discord's
/// interactions endpoint (alone or beside others), one with only gateway, Socket Mode or sync
/// clients; a number overrides both and 0 is one per core.
#[test]
fn workers_follow_the_roles_unless_set() {
    const SLACK: [(&str, &str); 2] = [
        ("SIGNPOST__SLACK__BOT_TOKEN", "xoxb-1"),
        ("SIGNPOST__SLACK__SIGNING_SECRET", "s"),
    ];
    let threads = |vars: &[(&str, &str)]| with_env(vars).unwrap().worker_threads().map(|n| n.get());
    assert_eq!(threads(&[]), Some(1), "the console");
    assert_eq!(threads(&SLACK), None, "Slack over HTTP");
    let socket = [
        SLACK[0],
        ("SIGNPOST__SLACK__APP_TOKEN", "xapp-1"),
        ("SIGNPOST__SLACK__MODE", "socket"),
    ];
    assert_eq!(threads(&socket), Some(1), "Socket Mode");
    let four = [SLACK[0], SLACK[1], ("SIGNPOST__BOT__WORKERS", "4")];
    assert_eq!(threads(&four), Some(4));
    let one = [SLACK[0], SLACK[1], ("SIGNPOST__BOT__WORKERS", "1")];
    assert_eq!(threads(&one), Some(1));
    assert_eq!(threads(&[("SIGNPOST__BOT__WORKERS", "0")]), None);
}

/// An unknown key is an error that names the key.
#[test]
fn unknown_key_is_named() {
    let err = with_env(&[("SIGNPOST__BOT__PERFIX", "?")])
        .unwrap_err()
        .to_string();
    assert!(err.contains("perfix"), "{err}");
}

/// A bad prefix is rejected with the key and the value.
#[test]
fn bad_prefix_is_rejected() {
    let err = with_env(&[("SIGNPOST__BOT__PREFIX", "a b")])
        .unwrap_err()
        .to_string();
    assert!(err.contains("bot.prefix") && err.contains("a b"), "{err}");
}

/// A `--config` file overrides defaults, and a missing one is an error naming it.
#[test]
fn config_file_overrides_and_must_exist() {
    let dir = std::env::temp_dir().join(format!("signpost-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("test.toml");
    std::fs::write(&file, "[bot]\nprefix = \"%\"\n").unwrap();
    let s = load(&Sources {
        local: None,
        file: Some(file.clone()),
        env: Some(vec![]),
    })
    .unwrap();
    assert_eq!(s.prefix, "%");
    let missing = dir.join("missing.toml");
    let err = load(&Sources {
        local: None,
        file: Some(missing),
        env: Some(vec![]),
    })
    .unwrap_err()
    .to_string();
    assert!(err.contains("missing.toml"), "{err}");
}

/// Platform sections are read from the environment; secrets never show in debug output.
#[test]
fn platforms_from_environment() {
    let s = with_env(&[
        ("SIGNPOST__MATRIX__HOMESERVER", "http://127.0.0.1:8008"),
        ("SIGNPOST__MATRIX__USER", "signpost"),
        ("SIGNPOST__MATRIX__PASSWORD", "hunter2hunter2"),
        (
            "SIGNPOST__MATRIX__ALLOWED_INVITERS",
            "@alice:localhost,example.org",
        ),
        ("SIGNPOST__DISCORD__TOKEN", "discord-token-value"),
        ("SIGNPOST__DISCORD__GUILD_IDS", "123,456"),
        ("SIGNPOST__DISCORD__SHARDS", "0-3/16"),
        ("SIGNPOST__DISCORD__PREFIX_COMMANDS", "true"),
        ("SIGNPOST__SLACK__BOT_TOKEN", "xoxb-1"),
        (
            "SIGNPOST__SLACK__SIGNING_SECRET",
            "8f742231b10e8888abcd99yyyzzz85a5",
        ),
    ])
    .unwrap();
    assert_eq!(s.configured_platforms(), vec!["discord", "slack", "matrix"]);
    let m = s.matrix.as_ref().unwrap();
    assert_eq!(m.allowed_inviters, vec!["@alice:localhost", "example.org"]);
    assert_eq!(m.store_dir, PathBuf::from("state/matrix"));
    let d = s.discord.as_ref().unwrap();
    assert_eq!(d.guild_ids, vec![123, 456]);
    assert!(d.prefix_commands);
    assert_eq!(
        d.shards,
        Some(ShardRange {
            first: 0,
            last: 3,
            total: 16
        })
    );
    let debug = format!("{s:?}");
    for secret in [
        "hunter2hunter2",
        "discord-token-value",
        "xoxb-1",
        "8f742231b10e",
    ] {
        assert!(!debug.contains(secret), "{secret} leaked into {debug}");
    }
}

/// Incomplete platform settings are errors naming the missing key.
#[test]
fn incomplete_platforms_are_named() {
    let err = with_env(&[("SIGNPOST__MATRIX__HOMESERVER", "http://127.0.0.1:8008")])
        .unwrap_err()
        .to_string();
    assert!(err.contains("matrix.user"), "{err}");
    let err = with_env(&[("SIGNPOST__SLACK__BOT_TOKEN", "xoxb-1")])
        .unwrap_err()
        .to_string();
    assert!(err.contains("slack.signing_secret"), "{err}");
    let err = with_env(&[
        ("SIGNPOST__DISCORD__TOKEN", "t"),
        ("SIGNPOST__DISCORD__SHARDS", "4-3/2"),
    ])
    .unwrap_err()
    .to_string();
    assert!(err.contains("discord.shards"), "{err}");
    let err = with_env(&[
        ("SIGNPOST__DISCORD__TOKEN", "t"),
        ("SIGNPOST__DISCORD__GUILD_IDS", "0"),
    ])
    .unwrap_err()
    .to_string();
    assert!(err.contains("discord.guild_ids"), "{err}");
}

/// `bot.roles` picks configured adapters by name; unknown or unconfigured names are errors
/// naming the key, and empty runs everything configured.
#[test]
fn roles_choose_configured_adapters() {
    let key = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    let both = [
        ("SIGNPOST__DISCORD__PUBLIC_KEY", key),
        ("SIGNPOST__DISCORD__TOKEN", "t"),
    ];
    let s = with_env(&both).unwrap();
    assert_eq!(s.running(), vec!["discord", "discord-http"]);
    let mut vars = both.to_vec();
    vars.push(("SIGNPOST__BOT__ROLES", "discord-http"));
    let mut s = with_env(&vars).unwrap();
    assert_eq!(s.running(), vec!["discord-http"]);
    s.select_roles("--only", &["discord", " discord "]).unwrap();
    assert_eq!(s.roles, vec!["discord"]);
    assert_eq!(s.running(), vec!["discord"]);
    let err = s
        .select_roles("--only", &["slack"])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("--only") && err.contains("not configured"),
        "{err}"
    );
    let mut vars = both.to_vec();
    vars.push(("SIGNPOST__BOT__ROLES", "discord,gateway"));
    let err = with_env(&vars).unwrap_err().to_string();
    assert!(
        err.contains("bot.roles") && err.contains("gateway"),
        "{err}"
    );
}

/// `discord.public_key` alone configures the HTTP endpoint (no gateway); a key that is not
/// 64 hex digits, or not a curve point, is an error naming the key.
#[test]
fn discord_public_key_is_checked() {
    // RFC 8032 test vector 1's public key.
    let key = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    let s = with_env(&[("SIGNPOST__DISCORD__PUBLIC_KEY", key)]).unwrap();
    assert_eq!(s.configured_platforms(), vec!["discord-http"]);
    let http = s.discord_http.as_ref().unwrap();
    assert_eq!(PublicKey::from_hex(key), Some(http.public_key));
    assert_eq!(http.public_key.0[0], 0xd7);
    assert!(s.discord.is_none());
    for bad in ["abc", &key[1..], &key.replace('d', "g")] {
        let err = with_env(&[("SIGNPOST__DISCORD__PUBLIC_KEY", bad)])
            .unwrap_err()
            .to_string();
        assert!(err.contains("discord.public_key"), "{err}");
    }
    #[cfg(feature = "discord")]
    {
        // y = 2 is not on the curve.
        let off_curve = format!("02{}", "0".repeat(62));
        let err = with_env(&[("SIGNPOST__DISCORD__PUBLIC_KEY", off_curve.as_str())])
            .unwrap_err()
            .to_string();
        assert!(err.contains("not a valid Ed25519"), "{err}");
    }
}

/// Appservice mode reads its tokens (directly or from files), derives the registration URL
/// from the listener, keeps the tokens out of `{:?}`, and names every missing or bad field.
#[test]
fn appservice_mode_is_read_and_checked() {
    const AS: &str = "as-token-value-1234";
    const HS: &str = "hs-token-value-5678";
    let base = [
        ("SIGNPOST__MATRIX__MODE", "appservice"),
        ("SIGNPOST__MATRIX__HOMESERVER", "http://127.0.0.1:8008"),
        ("SIGNPOST__MATRIX__USER", "@signpost:localhost"),
        ("SIGNPOST__MATRIX__AS_TOKEN", AS),
    ];
    let hs_file = std::env::temp_dir().join(format!("signpost-hs-token-{}", std::process::id()));
    std::fs::write(&hs_file, format!("{HS}\n")).unwrap();
    let hs_path = hs_file.display().to_string();
    let mut vars = base.to_vec();
    vars.push(("SIGNPOST__MATRIX__HS_TOKEN_FILE", &hs_path));
    let s = with_env(&vars).expect("valid appservice settings");
    assert_eq!(s.configured_platforms(), vec!["matrix"]);
    assert!(s.matrix.is_none(), "no client mode");
    let a = s.matrix_appservice.as_ref().expect("appservice settings");
    assert_eq!((a.as_token.expose(), a.hs_token.expose()), (AS, HS));
    assert_eq!(a.id, appservice::DEFAULT_ID);
    assert_eq!(a.url.as_str(), "http://127.0.0.1:8080/");
    assert_eq!((a.localpart(), a.server_name()), ("signpost", "localhost"));
    assert!(!a.welcome.is_on(), "welcomes are opt-in");
    let mut rooms = vars.clone();
    rooms.push(("SIGNPOST__MATRIX__WELCOME_ROOMS", "!room:example.org"));
    let welcomed = with_env(&rooms).expect("welcome rooms in appservice mode");
    std::fs::remove_file(&hs_file).unwrap();
    let welcome = &welcomed.matrix_appservice.expect("appservice").welcome;
    assert_eq!(welcome.places, ["!room:example.org"]);
    let debug = format!("{s:?}");
    assert!(!debug.contains(AS) && !debug.contains(HS), "{debug}");

    let error = |extra: &[(&'static str, &'static str)]| {
        let mut vars = base.to_vec();
        vars.extend_from_slice(extra);
        with_env(&vars).expect_err("refused").to_string()
    };
    assert!(error(&[]).contains("matrix.hs_token"));
    let same = error(&[("SIGNPOST__MATRIX__HS_TOKEN", AS)]);
    assert!(
        same.contains("matrix.hs_token") && same.contains("differ"),
        "{same}"
    );
    let bare_user = error(&[
        ("SIGNPOST__MATRIX__HS_TOKEN", HS),
        ("SIGNPOST__MATRIX__USER", "signpost"),
    ]);
    assert!(bare_user.contains("matrix.user"), "{bare_user}");
    let password = error(&[
        ("SIGNPOST__MATRIX__HS_TOKEN", HS),
        ("SIGNPOST__MATRIX__PASSWORD", "hunter2hunter2"),
    ]);
    assert!(password.contains("matrix.password"), "{password}");
    let alias = error(&[
        ("SIGNPOST__MATRIX__HS_TOKEN", HS),
        ("SIGNPOST__MATRIX__WELCOME_ROOMS", "#room:example.org"),
    ]);
    assert!(alias.contains("matrix.welcome_rooms"), "{alias}");
    let mode = error(&[("SIGNPOST__MATRIX__MODE", "bridge")]);
    assert!(mode.contains("matrix.mode"), "{mode}");
    for (key, message) in [("AS", "matrix.as_token"), ("HS", "matrix.hs_token")] {
        let var = format!("SIGNPOST__MATRIX__{key}_TOKEN");
        let client = with_env(&[
            ("SIGNPOST__MATRIX__HOMESERVER", "http://127.0.0.1:8008"),
            ("SIGNPOST__MATRIX__USER", "signpost"),
            ("SIGNPOST__MATRIX__PASSWORD", "hunter2hunter2"),
            (var.as_str(), "tok"),
        ])
        .expect_err("tokens belong to appservice mode")
        .to_string();
        assert!(client.contains(message), "{client}");
    }
}

/// A secret file keeps its secret without the one trailing newline; an empty file, a second
/// newline or a trailing space is an error naming the key and the file; a file others may
/// read passes with a warning.
#[cfg(unix)]
#[test]
fn secret_files_are_read_strictly() {
    use std::os::unix::fs::PermissionsExt;
    let dir = std::env::temp_dir().join(format!("signpost-secret-files-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bot_token");
    let path = file.to_str().unwrap().to_string();
    let load = |text: &str, mode: u32| {
        std::fs::write(&file, text).unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(mode)).unwrap();
        with_env(&[
            ("SIGNPOST__SLACK__BOT_TOKEN_FILE", path.as_str()),
            ("SIGNPOST__SLACK__SIGNING_SECRET", "s"),
        ])
    };
    let good = load("xoxb-1\n", 0o600).unwrap();
    assert_eq!(good.slack.unwrap().bot_token.expose(), "xoxb-1");
    assert!(good.warnings.is_empty(), "{:?}", good.warnings);
    for bad in [
        "",
        "\n",
        "xoxb-1\n\n",
        "xoxb-1 \n",
        " xoxb-1",
        "xoxb-1\nxoxb-2\n",
    ] {
        let error = load(bad, 0o600).expect_err(bad).to_string();
        assert!(
            error.contains("slack.bot_token_file") && error.contains(&path),
            "{bad:?}: {error}"
        );
    }
    let shared = load("xoxb-1\n", 0o644).unwrap();
    assert_eq!(shared.warnings.len(), 1, "{:?}", shared.warnings);
    assert!(shared.warnings[0].contains(&path), "{:?}", shared.warnings);
    let _ = std::fs::remove_dir_all(dir);
}
