//! Where settings come from: the built-in defaults, then `config/local.toml`, then
//! `--config FILE`, then `SIGNPOST__SECTION__KEY` environment variables, each a layer of its
//! own (so an error can name the one that set a bad value), merged in that order.

use std::path::{Path, PathBuf};

use config::{Config, Environment, File, FileFormat};

use super::{ConfigError, DEFAULTS};

/// Where settings come from; tests pass their own environment instead of the process's.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// `config/local.toml` or equivalent, read if it exists.
    pub local: Option<PathBuf>,
    /// A file that must exist (`--config`).
    pub file: Option<PathBuf>,
    /// Environment variables to read (`SIGNPOST__…`); `None` reads the process environment.
    pub env: Option<Vec<(String, String)>>,
}

impl Sources {
    /// The usual sources: `config/local.toml`, the given file, the process environment.
    pub fn standard(file: Option<&Path>) -> Sources {
        Sources {
            local: Some(PathBuf::from("config/local.toml")),
            file: file.map(Path::to_path_buf),
            env: None,
        }
    }
}

impl Sources {
    /// Each layer on its own, lowest precedence first, with a name for it.
    pub(super) fn layers(&self) -> Result<Vec<(String, Config)>, ConfigError> {
        let mut layers = vec![(
            "built-in defaults".to_string(),
            Config::builder()
                .add_source(File::from_str(DEFAULTS, FileFormat::Toml))
                .build()?,
        )];
        let files = [(&self.local, false), (&self.file, true)];
        for (path, required) in files {
            if let Some(path) = path {
                let layer = Config::builder()
                    .add_source(
                        File::from(path.as_path())
                            .format(FileFormat::Toml)
                            .required(required),
                    )
                    .build()?;
                layers.push((path.display().to_string(), layer));
            }
        }
        let mut env = Environment::with_prefix("SIGNPOST")
            .prefix_separator("__")
            .separator("__");
        if let Some(vars) = &self.env {
            env = env.source(Some(vars.iter().cloned().collect()));
        }
        layers.push((
            "environment (SIGNPOST__…)".to_string(),
            Config::builder().add_source(env).build()?,
        ));
        Ok(layers)
    }

    /// Every layer merged, later ones overriding earlier ones.
    pub(super) fn merged(&self) -> Result<Config, ConfigError> {
        merge(self.layers()?.into_iter().map(|(_, layer)| layer))
    }
}

/// Layers merged in order, later ones overriding earlier ones.
pub(super) fn merge(layers: impl IntoIterator<Item = Config>) -> Result<Config, ConfigError> {
    let mut builder = Config::builder();
    for layer in layers {
        builder = builder.add_source(layer);
    }
    Ok(builder.build()?)
}
