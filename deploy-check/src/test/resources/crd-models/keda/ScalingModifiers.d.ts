import { ModelData, Model } from "@kubernetes-models/base";
/**
 * ScalingModifiers describes advanced scaling logic options like formula
 */
export interface IScalingModifiers {
    "activationTarget"?: string;
    "formula"?: string;
    "metricType"?: string;
    "target"?: string;
}
/**
 * ScalingModifiers describes advanced scaling logic options like formula
 */
export declare class ScalingModifiers extends Model<IScalingModifiers> implements IScalingModifiers {
    "activationTarget"?: string;
    "formula"?: string;
    "metricType"?: string;
    "target"?: string;
    constructor(data?: ModelData<IScalingModifiers>);
}
export type { IScalingModifiers as IComGithubKedacoreKedaV2ApisKedaV1alpha1ScalingModifiers, ScalingModifiers as ComGithubKedacoreKedaV2ApisKedaV1alpha1ScalingModifiers };
