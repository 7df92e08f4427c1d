package kz.qoltanba.app

import android.os.Bundle
import androidx.activity.compose.setContent
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.fragment.app.FragmentActivity
import androidx.lifecycle.viewmodel.compose.viewModel
import androidx.navigation.compose.NavHost
import androidx.navigation.compose.composable
import androidx.navigation.compose.rememberNavController

/** The one activity (a FragmentActivity, which BiometricPrompt needs); Compose navigation inside. */
class MainActivity : FragmentActivity() {
    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        setContent { MaterialTheme { Navigation(this) } }
    }
}

/** The routes: home, the enrollment, signing files, QR login and the sign-request inbox. */
private object Routes {
    const val HOME = "home"
    const val ENROLL = "enroll"
    const val SIGN = "sign"
    const val QR_LOGIN = "qr-login"
    const val REQUESTS = "requests"
}

@Composable
private fun Navigation(activity: FragmentActivity) {
    val navigation = rememberNavController()
    NavHost(navigation, startDestination = Routes.HOME) {
        composable(Routes.HOME) {
            Column(Modifier.padding(24.dp)) {
                Text(stringResource(R.string.app_title), style = MaterialTheme.typography.headlineMedium)
                listOf(
                    Routes.ENROLL to R.string.nav_enroll,
                    Routes.SIGN to R.string.nav_sign,
                    Routes.QR_LOGIN to R.string.nav_qr_login,
                    Routes.REQUESTS to R.string.nav_requests,
                ).forEach { (route, label) ->
                    TextButton(onClick = { navigation.navigate(route) }) { Text(stringResource(label)) }
                }
            }
        }
        composable(Routes.ENROLL) { EnrollmentScreen(viewModel(), activity) }
        composable(Routes.SIGN) { SignScreen(viewModel(), activity) }
        composable(Routes.QR_LOGIN) { LoginScreen(viewModel(), activity) }
        composable(Routes.REQUESTS) { RequestsScreen(viewModel(), activity) }
    }
}
