// One twelfth of the widget model (see widget-model.ts): the adapters at index % 12 === 6.
import { describeWidgetModel } from './widget-model.js';

describeWidgetModel(6);
