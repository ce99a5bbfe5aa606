import { Component, type ReactNode } from 'react';
import { Analysis } from '../features/analysis/Analysis';
import { Data } from '../features/data/Data';
import { Evaluation } from '../features/evaluation/Evaluation';
import { Oversight } from '../features/oversight/Oversight';
import { Findings } from '../features/findings/Findings';
import { Home } from '../features/home/Home';
import { Reports } from '../features/reports/Reports';
import { Settings } from '../features/settings/Settings';
import { Tools } from '../features/tools/Tools';
import { Trail } from '../features/trail/Trail';
import { useI18n } from '../i18n';
import { ConnectionBanner, Header, Nav, StatusBar, useNavShortcuts } from './Shell';
import { AppProvider, useApp, type Screen } from './state';

const SCREENS: Record<Screen, () => ReactNode> = {
  home: () => <Home />,
  data: () => <Data />,
  analysis: () => <Analysis />,
  evaluation: () => <Evaluation />,
  oversight: () => <Oversight />,
  tools: () => <Tools />,
  findings: () => <Findings />,
  reports: () => <Reports />,
  trail: () => <Trail />,
  settings: () => <Settings />,
};

class Boundary extends Component<{ children: ReactNode; resetKey: unknown; message: string }, { error: Error | null }> {
  override state = { error: null as Error | null };
  static getDerivedStateFromError(error: Error) { return { error }; }
  override componentDidUpdate(prev: { resetKey: unknown }) {
    if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }
  override render() {
    if (this.state.error) {
      return <div className="notice notice-error" role="alert"><span className="notice-icon" aria-hidden="true">✕</span><div>{this.props.message}: {this.state.error.message}</div></div>;
    }
    return this.props.children;
  }
}

function Main() {
  const { route } = useApp();
  const { t } = useI18n();
  useNavShortcuts();
  return (
    <main className="main" id="main" tabIndex={-1} data-screen={route.screen}>
      <ConnectionBanner />
      <Boundary resetKey={route.nonce} message={t('common.error')}>{SCREENS[route.screen]()}</Boundary>
    </main>
  );
}

function Shell() {
  const { t } = useI18n();
  return (
    <div className="shell">
      <a href="#main" className="skip-link">{t('app.skip')}</a>
      <Nav />
      <Header />
      <Main />
      <StatusBar />
    </div>
  );
}

export function App() {
  return <AppProvider><Shell /></AppProvider>;
}
