import SwiftUI

/// The app: the home screen with the enrollment and the other flows.
@main
struct QoltanbaApp: App {
    @StateObject private var model = AppModel()

    var body: some Scene {
        WindowGroup {
            HomeView().environmentObject(model)
        }
    }
}

/// Where each flow starts.
struct HomeView: View {
    var body: some View {
        NavigationStack {
            List {
                NavigationLink("nav_enroll") { EnrollmentView() }
                // TODO(issue 7 and the QR login issue): the library does not expose signing, QR login
                // and signing requests yet; these screens wait for core's flows.
                NavigationLink("nav_sign") { TodoView(title: "nav_sign") }
                NavigationLink("nav_qr_login") { TodoView(title: "nav_qr_login") }
                NavigationLink("nav_requests") { TodoView(title: "nav_requests") }
            }
            .navigationTitle("app_title")
        }
    }
}

/// A flow the core does not expose yet.
struct TodoView: View {
    let title: LocalizedStringKey

    var body: some View {
        Text("common_todo").navigationTitle(title)
    }
}
