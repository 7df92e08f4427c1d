import Foundation
import QoltanbaKit
import UIKit

/// What the enrollment and the wallet share: the core's configuration (server, data directory, this
/// device) and the hardware key store, so the wallet finds the keys and certificates the enrollment made.
@MainActor
enum AppSetup {
    /// The Keychain key store (RSA keys in the data-protection keychain).
    static let keyStore = KeychainKeyStore()

    /// The server from the build setting `QOLTANBA_SERVER_URL`, the data in Application Support.
    static var config: FlowConfig {
        let info = Bundle.main.infoDictionary ?? [:]
        return FlowConfig(
            serverUrl: info["QoltanbaServerURL"] as? String ?? "",
            dataDir: URL.applicationSupportDirectory.appendingPathComponent("qoltanba").path,
            device: Device(
                os: .ios,
                osVersion: UIDevice.current.systemVersion,
                appVersion: info["CFBundleShortVersionString"] as? String ?? "0",
                model: UIDevice.current.model
            )
        )
    }
}
