import { ModelData, Model } from "@kubernetes-models/base";
/**
 * ScaleTarget holds the reference to the scale target Object
 */
export interface IScaleTarget {
    "apiVersion"?: string;
    "envSourceContainerName"?: string;
    "kind"?: string;
    "name": string;
}
/**
 * ScaleTarget holds the reference to the scale target Object
 */
export declare class ScaleTarget extends Model<IScaleTarget> implements IScaleTarget {
    "apiVersion"?: string;
    "envSourceContainerName"?: string;
    "kind"?: string;
    "name": string;
    constructor(data?: ModelData<IScaleTarget>);
}
export type { IScaleTarget as IComGithubKedacoreKedaV2ApisKedaV1alpha1ScaleTarget, ScaleTarget as ComGithubKedacoreKedaV2ApisKedaV1alpha1ScaleTarget };
