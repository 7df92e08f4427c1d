import SwiftUI

/// The app: the home screen with the enrollment and the other flows.
@main
struct QoltanbaApp: App {
    @StateObject private var model = AppModel()
    @StateObject private var wallet = WalletModel()

    var body: some Scene {
        WindowGroup {
            HomeView().environmentObject(model).environmentObject(wallet)
        }
    }
}

/// Where each flow starts.
struct HomeView: View {
    var body: some View {
        NavigationStack {
            List {
                NavigationLink("nav_enroll") { EnrollmentView() }
                NavigationLink("nav_sign") { SignView() }
                NavigationLink("nav_qr_login") { LoginView() }
                NavigationLink("nav_requests") { RequestsView() }
            }
            .navigationTitle("app_title")
        }
    }
}
