import { Route, Router } from "@solidjs/router"
import { lazy } from "solid-js"
import { withLater } from "./i18n/index.js"
import { loadNode } from "./lib/api.js"
import Landing from "./routes/wb/Landing.jsx"
import { StaffProvider } from "./store/createStaffSession.js"
import { WbProvider } from "./store/createWbSession.js"
import { Layout } from "./ui/Layout.jsx"

// Route table. The whistleblower's landing is in the entry chunk (one request fewer on the way
// to the report form); every other area is a lazy chunk, so a whistleblower's first load never
// fetches the setup, recipient or admin code.
const Report = lazy(() => import("./routes/wb/Report.jsx"))
// The pages after the form render once their sentences are loaded (i18n ensureLater).
const Receipt = lazy(() => withLater(import("./routes/wb/Receipt.jsx")))
const Return = lazy(() => withLater(import("./routes/wb/Return.jsx")))
const MyReport = lazy(() => withLater(import("./routes/wb/MyReport.jsx")))
const VerifyCode = lazy(() => withLater(import("./routes/wb/VerifyCode.jsx")))
const Setup = lazy(() => import("./routes/setup/Setup.jsx"))
const StaffLogin = lazy(() => import("./routes/staff/Login.jsx"))
const FirstLogin = lazy(() => import("./routes/staff/FirstLogin.jsx"))
const Inbox = lazy(() => import("./routes/staff/Inbox.jsx"))
const TipView = lazy(() => import("./routes/staff/TipView.jsx"))
const Custodian = lazy(() => import("./routes/staff/Custodian.jsx"))
const AdminUsers = lazy(() => import("./routes/admin/Users.jsx"))
const AdminContexts = lazy(() => import("./routes/admin/Contexts.jsx"))
const AdminContextEdit = lazy(() => import("./routes/admin/ContextEdit.jsx"))
const AdminSettings = lazy(() => import("./routes/admin/Settings.jsx"))
const AdminAudit = lazy(() => import("./routes/admin/Audit.jsx"))
const AdminStats = lazy(() => import("./routes/admin/Stats.jsx"))
const AdminStorage = lazy(() => import("./routes/admin/Storage.jsx"))
const SecondFactor = lazy(() => import("./routes/staff/SecondFactor.jsx"))
const Account = lazy(() => import("./routes/staff/Account.jsx"))
const Recover = lazy(() => import("./routes/staff/Recover.jsx"))

/** The whole app: session stores behind contexts, then the routes inside the shared layout. */
export function App() {
  return (
    <WbProvider>
      <StaffProvider>
        <Router root={Layout}>
          <Route path="/" component={Landing} preload={() => loadNode()} />
          <Route path="/report/:contextId" component={Report} />
          <Route path="/receipt" component={Receipt} />
          <Route path="/return" component={Return} />
          <Route path="/my-report" component={MyReport} />
          <Route path="/verify-code" component={VerifyCode} />
          <Route path="/setup" component={Setup} />
          <Route path="/staff" component={StaffLogin} />
          <Route path="/staff/password" component={FirstLogin} />
          <Route path="/staff/inbox" component={Inbox} />
          <Route path="/staff/tips/:tipId" component={TipView} />
          <Route path="/staff/custodian" component={Custodian} />
          <Route path={["/admin", "/admin/users"]} component={AdminUsers} />
          <Route path="/admin/contexts" component={AdminContexts} />
          <Route path="/admin/contexts/new" component={AdminContextEdit} />
          <Route path="/admin/contexts/:contextId" component={AdminContextEdit} />
          <Route path="/admin/settings" component={AdminSettings} />
          <Route path="/admin/audit" component={AdminAudit} />
          <Route path="/admin/stats" component={AdminStats} />
          <Route path="/admin/storage" component={AdminStorage} />
          <Route path="/staff/second-factor" component={SecondFactor} />
          <Route path="/staff/account" component={Account} />
          <Route path="/staff/recover" component={Recover} />
          <Route path="*" component={Landing} />
        </Router>
      </StaffProvider>
    </WbProvider>
  )
}
