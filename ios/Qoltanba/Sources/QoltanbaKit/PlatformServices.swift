import QoltanbaFFI

/// What the app implements for the core: the protocols generated from the FFI's foreign traits.
/// Throw `PlatformError.Cancelled` when the citizen backs out (the flow pauses at the step),
/// `PlatformError.Unavailable` when the platform cannot do it; any other error reaches the core as
/// `PlatformError.Unexpected`, never a crash. The async services run on the core's threads: hop to
/// the main actor for UI.
public struct PlatformServices: Sendable {
    /// The forms: device check, IIN, phone, consent, e-mail, key storage, password.
    public let citizen: CitizenForms
    /// Selfie and ID-card capture (AVFoundation).
    public let camera: Camera
    /// The SMS code from 1414 (one-time-code autofill, else typed).
    public let sms: SmsCodeSource
    /// The PIN (or biometric) prompt.
    public let pin: PinPrompt
    /// The hardware-backed key store, or nil where there is none.
    public let keyStore: PlatformKeyStore?
    /// The key files' password prompt for the `Wallet` (signing, login), or nil when no keys are kept in files.
    public let passwords: KeyPasswordPrompt?

    /// The services the flow and the wallet need.
    public init(
        citizen: CitizenForms, camera: Camera, sms: SmsCodeSource, pin: PinPrompt, keyStore: PlatformKeyStore? = nil,
        passwords: KeyPasswordPrompt? = nil
    ) {
        self.citizen = citizen
        self.camera = camera
        self.sms = sms
        self.pin = pin
        self.keyStore = keyStore
        self.passwords = passwords
    }
}
