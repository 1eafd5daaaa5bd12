import { expect } from 'chai';
import { act, createElement, StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

describe('smoke', () => {
  it('renders', async () => {
    const container = document.createElement('div');
    document.body.append(container);
    const root = createRoot(container);
    function App() {
      const [n] = useState(3);
      return createElement('p', null, `n=${n}`);
    }
    await act(async () => root.render(createElement(StrictMode, null, createElement(App))));
    expect(container.textContent).to.equal('n=3');
    await act(async () => root.unmount());
  });
});
