#!/usr/bin/env bash
# Installs what casecode needs on a fresh Debian 12 machine, and nothing that is already there.
# Called by `make workbench` and `make test` (and so by .ci/run). Safe to run again.
set -euo pipefail

# Debian packages: the IPADIC source the Japanese dictionary is built from, xmllint for
# REFI-QDA validation, and make itself.
packages=(mecab-ipadic libxml2-utils make)
# PostgreSQL for the team-server tests: each test starts a throwaway cluster of its own in a
# temporary folder (initdb + pg_ctl as the `postgres` user); the package's own cluster is not used.
packages+=(postgresql)
# TLS to a team server goes through the system's OpenSSL (the native-tls crate links it).
packages+=(libssl-dev pkg-config)
# `setup.sh bench` adds MeCab, which the text-layer benchmarks run side by side, and GNU time,
# which measures the peak memory of each command in the scale benchmark.
if [ "${1:-}" = "bench" ]; then
    packages+=(mecab mecab-ipadic-utf8 time)
fi
# `setup.sh gui-check` adds a virtual X server, xdotool and ImageMagick for the real-window check.
if [ "${1:-}" = "gui-check" ]; then
    packages+=(xvfb xdotool imagemagick)
fi
# The workbench GUI: the X11/Wayland, OpenGL and fontconfig libraries eframe loads at run time
# (no -dev packages are needed to build it), and a Japanese font (egui's own fonts have no
# Japanese glyphs; the GUI tests load this font and fail on a missing glyph). Noto Sans CJK
# rather than the smaller IPA Gothic: IPA Gothic has no 𠮷 (U+20BB7), as in 𠮷田.
packages+=(libx11-6 libx11-xcb1 libxcursor1 libxi6 libxkbcommon0 libxkbcommon-x11-0
    libfontconfig1 libgl1-mesa-dri libegl1 libegl-mesa0 fonts-noto-cjk)

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}"
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install ${missing[*]}" >&2; exit 1; }
        sudo="sudo"
    fi
    export DEBIAN_FRONTEND=noninteractive
    # Wait for another apt (unattended upgrades, a parallel job) instead of failing.
    wait_lock=(-o DPkg::Lock::Timeout=600)
    $sudo apt-get "${wait_lock[@]}" update -qq
    $sudo apt-get "${wait_lock[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v cargo >/dev/null || { echo "setup: cargo is missing; install Rust (rustup) first" >&2; exit 1; }
rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt clippy
