package kz.qoltanba.testing

import org.junit.runner.JUnitCore
import org.junit.runner.notification.Failure
import kotlin.system.exitProcess

/**
 * Runs the JUnit 4 classes named in [args] (what `cargo xtask kotlin-test` passes) and prints
 * `kotlin: N passed, M failed, K skipped`; exits 1 on any failure.
 */
fun main(args: Array<String>) {
    val classes = args.map { Class.forName(it) }.toTypedArray()
    val result = JUnitCore.runClasses(*classes)
    result.failures.forEach { failure: Failure ->
        System.err.println("FAILED ${failure.testHeader}")
        System.err.println(failure.trace)
    }
    val failed = result.failureCount
    val skipped = result.ignoreCount + result.assumptionFailureCount
    val passed = result.runCount - failed - result.assumptionFailureCount
    println("kotlin: $passed passed, $failed failed, $skipped skipped")
    exitProcess(if (failed == 0 && result.runCount > 0) 0 else 1)
}
