import Foundation
import LocalAuthentication
import Security

/// The PIN kept in the Keychain behind the device's biometrics (`biometryCurrentSet`: enrolling a new
/// face or finger invalidates it), so the citizen may unlock with Face ID / Touch ID instead of typing.
/// The core still checks the PIN; this only remembers it.
enum BiometricPin {
    private static let service = "kz.qoltanba.pin"

    /// Whether biometrics can be used on this device now.
    static var available: Bool {
        LAContext().canEvaluatePolicy(.deviceOwnerAuthenticationWithBiometrics, error: nil)
    }

    /// Remembers `pin` behind biometrics (replacing a previous one).
    static func remember(_ pin: String) {
        forget()
        guard let access = SecAccessControlCreateWithFlags(
            nil, kSecAttrAccessibleWhenPasscodeSetThisDeviceOnly, .biometryCurrentSet, nil
        ) else { return }
        let item: [CFString: Any] = [
            kSecClass: kSecClassGenericPassword,
            kSecAttrService: service,
            kSecAttrAccessControl: access,
            kSecValueData: Data(pin.utf8),
        ]
        SecItemAdd(item as CFDictionary, nil)
    }

    /// The remembered PIN, after the system's biometric prompt; nil if none, refused or invalidated.
    static func recall(reason: String) async -> String? {
        let context = LAContext()
        context.localizedReason = reason
        return await Task.detached {
            let query: [CFString: Any] = [
                kSecClass: kSecClassGenericPassword,
                kSecAttrService: service,
                kSecReturnData: true,
                kSecUseAuthenticationContext: context,
            ]
            var result: CFTypeRef?
            guard SecItemCopyMatching(query as CFDictionary, &result) == errSecSuccess, let data = result as? Data else {
                return nil
            }
            return String(data: data, encoding: .utf8)
        }.value
    }

    /// Deletes the remembered PIN.
    static func forget() {
        SecItemDelete([kSecClass: kSecClassGenericPassword, kSecAttrService: service] as CFDictionary)
    }
}
