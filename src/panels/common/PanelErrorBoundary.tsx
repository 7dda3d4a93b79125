import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  panel: string;
  children: ReactNode;
}

interface State {
  error: Error | null;
}

/** One per panel: a panel that throws shows an error card; the rest of the app, and the scenario, carry on. */
export class PanelErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.warn(`The ${this.props.panel} panel failed`, error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="error-card" role="alert">
        <h2>The {this.props.panel} panel hit a problem</h2>
        <p>
          Your scenario is safe and the other tabs still work. The panel said:{' '}
          <code>{this.state.error.message}</code>
        </p>
        <button type="button" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </div>
    );
  }
}
