import { IComGithubKedacoreKedaV2ApisKedaV1alpha1ScaleTriggers } from "./ScaleTriggers.js";
import { ModelData, Model } from "@kubernetes-models/base";
/**
 * WithTriggersSpec is the spec for a an object with triggers resource
 */
export interface IWithTriggersSpec {
    "pollingInterval"?: number;
    "triggers": Array<IComGithubKedacoreKedaV2ApisKedaV1alpha1ScaleTriggers>;
}
/**
 * WithTriggersSpec is the spec for a an object with triggers resource
 */
export declare class WithTriggersSpec extends Model<IWithTriggersSpec> implements IWithTriggersSpec {
    "pollingInterval"?: number;
    "triggers": Array<IComGithubKedacoreKedaV2ApisKedaV1alpha1ScaleTriggers>;
    constructor(data?: ModelData<IWithTriggersSpec>);
}
export type { IWithTriggersSpec as IComGithubKedacoreKedaV2ApisKedaV1alpha1WithTriggersSpec, WithTriggersSpec as ComGithubKedacoreKedaV2ApisKedaV1alpha1WithTriggersSpec };
