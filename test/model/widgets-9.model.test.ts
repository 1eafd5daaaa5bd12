// One twelfth of the widget model (see widget-model.ts): the adapters at index % 12 === 8.
import { describeWidgetModel } from './widget-model.js';

describeWidgetModel(8);
