import Foundation
import QoltanbaFFI
import Security

/// The Keychain as the core's hardware key store (`PlatformKeyStore`). RSA-2048 private keys are made
/// inside the data-protection keychain, usable only on this device while a passcode is set and after the
/// user's presence is checked (Face ID / Touch ID / passcode: the system prompts when a key signs); they
/// are never exported. The Secure Enclave holds only P-256 keys, so NCA's RSA keys live in the keychain.
/// The public key goes to the core as the PKCS#1 `RSAPublicKey` the Security framework exports (the core
/// wraps it; no ASN.1 here). The issued certificate is kept beside the key under the same label.
public final class KeychainKeyStore: PlatformKeyStore, @unchecked Sendable {
    private static let prefix = "qoltanba-"

    /// The store; nothing is read until the core asks.
    public init() {}

    public func generate(purpose: KeyPurpose) throws -> NewKey {
        let alias = "\(Self.prefix)\(purpose == .auth ? "auth" : "sign")-\(UUID().uuidString.lowercased())"
        var error: Unmanaged<CFError>?
        guard let access = SecAccessControlCreateWithFlags(
            nil, kSecAttrAccessibleWhenPasscodeSetThisDeviceOnly, .userPresence, &error
        ) else { throw Self.failure(error) }
        let attributes: [CFString: Any] = [
            kSecAttrKeyType: kSecAttrKeyTypeRSA,
            kSecAttrKeySizeInBits: 2048,
            kSecUseDataProtectionKeychain: true,
            kSecPrivateKeyAttrs: [
                kSecAttrIsPermanent: true,
                kSecAttrLabel: alias,
                kSecAttrApplicationTag: Data(alias.utf8),
                kSecAttrAccessControl: access,
            ] as [CFString: Any],
        ]
        guard let key = SecKeyCreateRandomKey(attributes as CFDictionary, &error) else { throw Self.failure(error) }
        return NewKey(id: alias, publicKeyDer: try Self.publicKey(of: key))
    }

    public func sign(id: String, data: Data) throws -> Data {
        var error: Unmanaged<CFError>?
        guard let signature = SecKeyCreateSignature(
            try privateKey(id), .rsaSignatureMessagePKCS1v15SHA256, data as CFData, &error
        ) else { throw Self.failure(error) }
        return signature as Data
    }

    public func publicKey(id: String) throws -> Data {
        try Self.publicKey(of: try privateKey(id))
    }

    public func install(id: String, chain: [Data]) throws -> String {
        guard let first = chain.first, let certificate = SecCertificateCreateWithData(nil, first as CFData) else {
            throw PlatformError.Unavailable(reason: "unreadable certificate for \(id)")
        }
        let status = SecItemAdd([
            kSecClass: kSecClassCertificate,
            kSecValueRef: certificate,
            kSecAttrLabel: id,
            kSecUseDataProtectionKeychain: true,
        ] as [CFString: Any] as CFDictionary, nil)
        guard status == errSecSuccess || status == errSecDuplicateItem else { throw Self.failure(status) }
        return id
    }

    public func delete(id: String) throws {
        for itemClass in [kSecClassKey, kSecClassCertificate] {
            let status = SecItemDelete([
                kSecClass: itemClass, kSecAttrLabel: id, kSecUseDataProtectionKeychain: true,
            ] as [CFString: Any] as CFDictionary)
            guard status == errSecSuccess || status == errSecItemNotFound else { throw Self.failure(status) }
        }
    }

    public func list() throws -> [KeyEntry] {
        let installed = Set(try labels(of: kSecClassCertificate))
        return try labels(of: kSecClassKey).map { label in
            KeyEntry(id: label, purpose: label.hasPrefix("\(Self.prefix)auth-") ? .auth : .sign, installed: installed.contains(label))
        }
    }

    private func privateKey(_ id: String) throws -> SecKey {
        var item: CFTypeRef?
        let status = SecItemCopyMatching([
            kSecClass: kSecClassKey,
            kSecAttrKeyClass: kSecAttrKeyClassPrivate,
            kSecAttrLabel: id,
            kSecReturnRef: true,
            kSecUseDataProtectionKeychain: true,
        ] as [CFString: Any] as CFDictionary, &item)
        guard status == errSecSuccess, let item else { throw Self.failure(status) }
        return item as! SecKey // swiftlint:disable:this force_cast — kSecClassKey + kSecReturnRef gives a SecKey
    }

    /// The labels of our items of `itemClass`.
    private func labels(of itemClass: CFString) throws -> [String] {
        var items: CFTypeRef?
        let status = SecItemCopyMatching([
            kSecClass: itemClass,
            kSecMatchLimit: kSecMatchLimitAll,
            kSecReturnAttributes: true,
            kSecUseDataProtectionKeychain: true,
        ] as [CFString: Any] as CFDictionary, &items)
        if status == errSecItemNotFound { return [] }
        guard status == errSecSuccess, let attributes = items as? [[CFString: Any]] else { throw Self.failure(status) }
        return attributes.compactMap { $0[kSecAttrLabel] as? String }.filter { $0.hasPrefix(Self.prefix) }
    }

    private static func publicKey(of privateKey: SecKey) throws -> Data {
        var error: Unmanaged<CFError>?
        guard let publicKey = SecKeyCopyPublicKey(privateKey),
              let data = SecKeyCopyExternalRepresentation(publicKey, &error)
        else { throw failure(error) }
        return data as Data
    }

    private static func failure(_ error: Unmanaged<CFError>?) -> PlatformError {
        let error = error?.takeRetainedValue()
        if let error, CFErrorGetCode(error) == Int(errSecUserCanceled) { return .Cancelled }
        return .Unavailable(reason: error.map { String(describing: $0) } ?? "the keychain failed")
    }

    private static func failure(_ status: OSStatus) -> PlatformError {
        if status == errSecUserCanceled { return .Cancelled }
        let text = SecCopyErrorMessageString(status, nil) as String? ?? "OSStatus \(status)"
        return .Unavailable(reason: text)
    }
}
