//! The server's host key: made once (Ed25519), kept in the data folder readable only by its
//! owner, so participants' `known_hosts` entries stay valid across restarts.

use russh::keys::ssh_key::{HashAlg, LineEnding};
use russh::keys::{Algorithm, PrivateKey};
use std::io::Write;
use std::path::{Path, PathBuf};

pub const FILE: &str = "ssh_host_ed25519_key";

/// Loads the host key from `dir`, creating it on first use.
pub fn load_or_create(dir: &Path) -> Result<(PrivateKey, PathBuf), String> {
    let path = dir.join(FILE);
    if path.exists() {
        check_permissions(&path)?;
        let key = russh::keys::load_secret_key(&path, None).map_err(|e| {
            format!(
                "{}: {e}. Khóa máy chủ hỏng; xóa tệp này để tạo khóa mới (người tham gia sẽ thấy cảnh báo đổi khóa) / the host key is damaged; delete this file to make a new one (participants will see a changed-key warning)",
                path.display()
            )
        })?;
        return Ok((key, path));
    }
    let key = PrivateKey::random(&mut russh::keys::key::safe_rng(), Algorithm::Ed25519)
        .map_err(|e| format!("host key: {e}"))?;
    let text = key
        .to_openssh(LineEnding::LF)
        .map_err(|e| format!("host key: {e}"))?;
    write_private(&path, text.as_bytes()).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok((key, path))
}

/// `SHA256:…`, as `ssh` prints it when it first meets the server.
pub fn fingerprint(key: &PrivateKey) -> String {
    key.public_key().fingerprint(HashAlg::Sha256).to_string()
}

/// Writes a secret file atomically with mode 0600 from the start (never briefly readable).
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        crate::fsutil::create_private_dir_all(dir)?;
    }
    let tmp = path.with_extension("tmp");
    let mut f = crate::fsutil::private_file_options()
        .write(true)
        .create(true)
        .truncate(true)
        .open(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    std::fs::rename(&tmp, path)
}

/// Refuses a host key others can read (as sshd does), saying how to fix it.
fn check_permissions(path: &Path) -> Result<(), String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map_err(|e| format!("{}: {e}", path.display()))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            return Err(format!(
                "{}: quyền {:o} quá rộng; chạy / permissions {:o} are too open; run: chmod 600 {}",
                path.display(),
                mode & 0o777,
                mode & 0o777,
                path.display()
            ));
        }
    }
    // Elsewhere there are no Unix modes to check (the file is in the user's own profile).
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_once_kept_private_and_stable() {
        let dir = tempfile::tempdir().unwrap();
        let (k1, path) = load_or_create(dir.path()).unwrap();
        let (k2, _) = load_or_create(dir.path()).unwrap();
        assert_eq!(fingerprint(&k1), fingerprint(&k2));
        assert!(fingerprint(&k1).starts_with("SHA256:"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            let err = load_or_create(dir.path()).unwrap_err();
            assert!(err.contains("chmod 600"), "{err}");
        }
    }
}
