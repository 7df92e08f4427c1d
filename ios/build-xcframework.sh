#!/usr/bin/env bash
# Builds the Rust core for iOS and lays out the Swift package (run on a Mac with Xcode and rustup):
#   ios/Qoltanba/QoltanbaRust.xcframework      device (arm64) + simulator (arm64 + x86_64, lipo'd)
#   ios/Qoltanba/Sources/QoltanbaFFI/*.swift   the UniFFI bindings, module QoltanbaFFI
# Usage: ios/build-xcframework.sh [--debug]   (release by default; runs under macOS's bash 3.2)
set -euo pipefail
cd "$(dirname "$0")/.."

profile=release
[[ "${1:-}" == "--debug" ]] && profile=debug
flags=(); [[ $profile == release ]] && flags=(--release)
target_dir=${CARGO_TARGET_DIR:-target}
package=ios/Qoltanba
work=$target_dir/ios
lib=libqoltanba_uniffi.a
export IPHONEOS_DEPLOYMENT_TARGET=16.0

rustup target add aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios
for target in aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios; do
  cargo build ${flags[@]+"${flags[@]}"} --locked -p qoltanba-uniffi --lib --target "$target"
done

# The bindings, from the device library (library mode; the same metadata in every slice).
rm -rf "$work" && mkdir -p "$work/headers" "$work/simulator"
cargo run -q --locked -p xtask --bin uniffi-bindgen -- generate \
  --library "$target_dir/aarch64-apple-ios/$profile/$lib" --language swift --out-dir "$work/bindings"
cp "$work/bindings/QoltanbaFFI.swift" "$package/Sources/QoltanbaFFI/"
cp "$work/bindings/QoltanbaRust.h" "$work/headers/"
cp "$work/bindings/QoltanbaRust.modulemap" "$work/headers/module.modulemap"

# One simulator library for both simulator architectures.
lipo -create \
  "$target_dir/aarch64-apple-ios-sim/$profile/$lib" \
  "$target_dir/x86_64-apple-ios/$profile/$lib" \
  -output "$work/simulator/$lib"

rm -rf "$package/QoltanbaRust.xcframework"
xcodebuild -create-xcframework \
  -library "$target_dir/aarch64-apple-ios/$profile/$lib" -headers "$work/headers" \
  -library "$work/simulator/$lib" -headers "$work/headers" \
  -output "$package/QoltanbaRust.xcframework"
echo "built $package/QoltanbaRust.xcframework ($profile) and $package/Sources/QoltanbaFFI/QoltanbaFFI.swift"
