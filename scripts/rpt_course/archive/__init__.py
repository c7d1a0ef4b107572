"""Course archives on disk: build output spooled to a folder (staging.py), packed into a deterministic
tar.gz (write.py); an archive from elsewhere unpacked without trusting it (untrusted.py, with
tar_header_guard.py and confined_folder.py)."""
