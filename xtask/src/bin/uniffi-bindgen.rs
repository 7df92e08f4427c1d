//! The workspace's `uniffi-bindgen`, at exactly the UniFFI version the library is built with.

fn main() {
    uniffi::uniffi_bindgen_main()
}
