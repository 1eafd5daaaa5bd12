// One twelfth of the widget model (see widget-model.ts): the adapters at index % 12 === 10.
import { describeWidgetModel } from './widget-model.js';

describeWidgetModel(10);
