import { ModelData, Model } from "@kubernetes-models/base";
/**
 * AuthTargetRef is used to authenticate using a reference to a resource
 */
export interface IAuthTargetRef {
    "key": string;
    "name": string;
    "parameter": string;
}
/**
 * AuthTargetRef is used to authenticate using a reference to a resource
 */
export declare class AuthTargetRef extends Model<IAuthTargetRef> implements IAuthTargetRef {
    "key": string;
    "name": string;
    "parameter": string;
    constructor(data?: ModelData<IAuthTargetRef>);
}
export type { IAuthTargetRef as IComGithubKedacoreKedaV2ApisKedaV1alpha1AuthTargetRef, AuthTargetRef as ComGithubKedacoreKedaV2ApisKedaV1alpha1AuthTargetRef };
